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

core::Result<std::unique_ptr<sched::Scheduler>> make_scheduler(
    const config::Config& config, const std::vector<core::NodeSpec>& nodes,
    const core::Clock& clock) {
  auto spec = policy::preset(config.scheduler.policy);
  if (!spec) return spec.status();
  auto pipeline = policy::build_pipeline(*spec);
  if (!pipeline) return pipeline.status();
  auto scheduler = std::make_unique<sched::Scheduler>(scheduler_options(config.scheduler), clock,
                                                      std::move(pipeline).value());
  for (const auto& node : nodes) {
    core::NodeView view;
    view.id = node.id;
    view.models = node.models;
    view.labels = node.labels;
    view.capacity = node.capacity;
    if (auto it = node.labels.find("profile"); it != node.labels.end()) {
      if (auto profile = sim::find_profile(it->second)) view.speed = sim::node_speed(*profile);
    }
    scheduler->add_node(std::move(view));
  }
  return scheduler;
}

}  // namespace autoglm::api
