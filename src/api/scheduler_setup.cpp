#include "api/scheduler_setup.hpp"

#include "sim/gpu_profile.hpp"
#include "sim/node_speed.hpp"

namespace autoglm::api {

sched::SchedulerOptions scheduler_options(const config::SchedulerConfig& config) {
  sched::SchedulerOptions options;
  options.tick = config.tick;
  options.feedback_interval = config.feedback_interval;
  options.thresholds.cpu_pause = config.cpu_threshold;
  options.thresholds.memory_evacuate = config.memory_threshold;
  return options;
}

core::Result<std::unique_ptr<policy::Pipeline>> make_pipeline(
    const std::string& preset, const std::optional<config::PipelineConfig>& composed,
    const std::string& where) {
  core::Result<policy::PipelineSpec> spec = core::invalid_argument("no policy");
  if (composed) {
    spec = policy::PipelineSpec{"custom", composed->filters, composed->scorers, composed->picker};
  } else {
    spec = policy::preset(preset);
  }
  if (!spec) return core::invalid_argument(where + ": " + spec.status().message(), where);
  auto pipeline = policy::build_pipeline(*spec);
  if (!pipeline) return core::invalid_argument(where + ": " + pipeline.status().message(), where);
  return pipeline;
}

core::NodeView node_view_for(const core::NodeSpec& spec) {
  core::NodeView view;
  view.id = spec.id;
  view.models = spec.models;
  view.labels = spec.labels;
  view.capacity = spec.capacity;
  if (auto it = spec.labels.find("profile"); it != spec.labels.end()) {
    if (auto profile = sim::find_profile(it->second)) view.speed = sim::node_speed(*profile);
  }
  return view;
}

core::Result<std::unique_ptr<sched::Scheduler>> make_scheduler(
    const config::Config& config, const std::vector<core::NodeSpec>& nodes,
    const core::Clock& clock) {
  const config::SchedulerConfig& sc = config.scheduler;
  auto pipeline = make_pipeline(sc.policy, sc.pipeline,
                                sc.pipeline ? "scheduler.pipeline" : "scheduler.policy");
  if (!pipeline) return pipeline.status();
  auto scheduler = std::make_unique<sched::Scheduler>(scheduler_options(sc), clock,
                                                      std::move(pipeline).value());
  for (const auto& [model, choice] : sc.models) {
    auto model_pipeline = make_pipeline(choice.preset, choice.pipeline, "scheduler.models." + model);
    if (!model_pipeline) return model_pipeline.status();
    scheduler->set_model_policy(model, std::move(model_pipeline).value());
  }
  for (const auto& node : nodes) scheduler->add_node(node_view_for(node));
  return scheduler;
}

}  // namespace autoglm::api
