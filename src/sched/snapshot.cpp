// The read-only picture for /admin/v1/scheduler and the dashboard. Taking it must not change
// what the scheduler does next: it uses its own copy of the random generator and never
// calls a picker (round-robin pickers keep a cursor).
#include "sched/scheduler_state.hpp"

namespace autoglm::sched {

namespace {

// The task the per-node scores are computed for: a standard, interactive request of a
// typical size for `model`.
TaskSpec representative_task(const std::string& model) {
  TaskSpec task;
  task.model = model;
  task.priority_class = core::PriorityClass::kStandard;
  task.priority_level = core::default_level(core::PriorityClass::kStandard);
  task.latency = core::LatencyClass::kInteractive;
  task.input_tokens = 256;
  task.max_output_tokens = 256;
  return task;
}

}  // namespace

Snapshot Scheduler::snapshot() const {
  State& s = *state_;
  Snapshot out;
  out.policy = s.default_policy->name();
  out.policy_parts = s.default_policy->describe();
  out.queued = s.queue.sizes();
  out.in_flight = s.running.size();
  out.dispatched_total = s.dispatched_total;
  out.shed_total = s.shed_total;
  out.timed_out_total = s.timed_out_total;
  out.rejected_total = s.rejected_total;
  out.preempted_total = s.preempted_total;
  out.evacuated_total = s.evacuated_total;

  const auto views = s.nodes.views();
  out.scores.resize(views.size());
  for (std::size_t i = 0; i < views.size(); ++i) {
    out.scores[i].id = views[i].id;
    out.scores[i].in_flight = views[i].in_flight;
    out.scores[i].failures = s.failures[i];
    out.scores[i].feedback = views[i].feedback;
  }
  const std::string* model = s.nodes.first_model();
  if (!model) return out;

  // Eligible: serves the model, the core's guard lets work in (healthy, not draining,
  // below capacity and thresholds) and every filter of the model's pipeline passes it.
  // Score: the total the pipeline ranks by when it chooses among the eligible nodes.
  const TaskSpec task = representative_task(*model);
  policy::Rng rng = s.rng;
  const policy::Context ctx{s.clock.now(), &s.options.thresholds, &rng};
  std::vector<core::NodeIndex> allowed;
  s.nodes.accepting(*model, s.options.thresholds, allowed);
  if (allowed.empty()) return out;
  std::vector<policy::Candidate> scored;
  s.pipeline_for(*model).score_all(task, views, &allowed, ctx, scored);
  for (const auto& candidate : scored) {
    out.scores[candidate.node].eligible = true;
    out.scores[candidate.node].score = candidate.score;
  }
  return out;
}

}  // namespace autoglm::sched
