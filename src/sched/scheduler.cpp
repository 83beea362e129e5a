// The scheduler's events: node table changes, submit, started, finished, cancelled, tick.
// Every event ends by dispatching what it may have made room for; the driver then takes
// the actions.
#include "sched/scheduler.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "sched/admission.hpp"
#include "sched/feedback.hpp"
#include "sched/priority.hpp"
#include "sched/scheduler_state.hpp"

namespace autoglm::sched {

namespace {

using core::ErrorCode;
using core::PriorityClass;
using core::Status;

std::size_t class_index(PriorityClass c) { return static_cast<std::size_t>(c); }

std::string class_name(PriorityClass c) { return std::string(core::priority_class_name(c)); }

std::string seconds_text(core::Duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

Scheduler::State::State(SchedulerOptions opts, const core::Clock& clk,
                        std::unique_ptr<policy::Pipeline> policy, std::uint64_t seed)
    : options(std::move(opts)),
      clock(clk),
      default_policy(std::move(policy)),
      rng(seed),
      last_feedback(clk.now()) {}

void Scheduler::State::reject(core::TaskId task, Status status, core::Duration retry_after) {
  actions.reject.push_back(Rejection{task, std::move(status), retry_after});
}

void Scheduler::State::enqueue(TaskSpec task, core::Time arrival) {
  const double key = priority_key(task, arrival, options);
  queue.push(QueuedTask{std::move(task), arrival, clock.now(), key, 0});
}

void Scheduler::State::free_slot(const RunningTask& task) { nodes.release(task.node, task.spec); }

void Scheduler::State::expire_queued() {
  const core::Time now = clock.now();
  for (std::size_t c = 0; c < kClasses; ++c) {
    const auto cls = static_cast<PriorityClass>(c);
    const core::Duration timeout = options.queue_timeout[c];
    if (timeout <= core::Duration::zero()) continue;  // no queue timeout for this class
    while (const QueuedTask* t = queue.oldest(cls)) {
      if (now - t->enqueued < timeout) break;
      const core::TaskId id = t->spec.id;
      queue.remove(id);
      ++timed_out_total[c];
      reject(id,
             Status(ErrorCode::kTimeout, "the task waited " + seconds_text(timeout) + " in the " +
                                             class_name(cls) +
                                             " queue without a free node; retry later or "
                                             "send it with a higher priority"),
             options.retry_after);
    }
  }
  while (const QueuedTask* t = queue.earliest_deadline()) {
    if (t->arrival + *t->spec.deadline > now) break;
    const core::TaskId id = t->spec.id;
    const core::Duration deadline = *t->spec.deadline;
    ++timed_out_total[class_index(t->spec.priority_class)];
    queue.remove(id);
    reject(id,
           Status(ErrorCode::kTimeout, "the task's deadline of " + seconds_text(deadline) +
                                           " passed while it waited for a node"),
           core::Duration::zero());
  }
}

void Scheduler::State::recompute_feedback() {
  const core::Time now = clock.now();
  const double interval_s = std::chrono::duration<double>(now - last_feedback).count();
  auto views = nodes.mutable_views();
  recompute_weights(views);
  for (std::size_t i = 0; i < views.size(); ++i) {
    const double watts = views[i].metrics.power_watts;
    if (watts > 0 && interval_s > 0 && interval_tokens[i] > 0) {
      views[i].feedback.tokens_per_joule =
          static_cast<double>(interval_tokens[i]) / (watts * interval_s);
    }
    interval_tokens[i] = 0;
  }
  last_feedback = now;
}

// --- Scheduler ---

Scheduler::Scheduler(SchedulerOptions options, const core::Clock& clock,
                     std::unique_ptr<policy::Pipeline> default_policy, std::uint64_t seed)
    : state_(std::make_unique<State>(std::move(options), clock, std::move(default_policy), seed)) {}

Scheduler::~Scheduler() = default;

void Scheduler::set_model_policy(const std::string& model,
                                 std::unique_ptr<policy::Pipeline> policy) {
  if (policy) {
    state_->model_policy[model] = std::move(policy);
  } else {
    state_->model_policy.erase(model);
  }
}

const policy::Pipeline& Scheduler::policy_for(const std::string& model) const {
  return state_->pipeline_for(model);
}

core::NodeIndex Scheduler::add_node(core::NodeView node) {
  State& s = *state_;
  const core::NodeIndex index = s.nodes.add(std::move(node));
  s.failures.resize(s.nodes.size(), 0);
  s.interval_tokens.resize(s.nodes.size(), 0);
  s.dispatch_to(index);
  return index;
}

void Scheduler::update_metrics(core::NodeIndex node, const core::NodeMetrics& metrics) {
  State& s = *state_;
  if (!s.nodes.contains(node)) return;
  s.nodes.at(node).metrics = metrics;
  if (s.evacuate(node)) {
    s.dispatch_models_of(node);  // the evacuated work looks for room everywhere else
  } else {
    s.dispatch_to(node);
  }
}

void Scheduler::set_healthy(core::NodeIndex node, bool healthy) {
  State& s = *state_;
  if (!s.nodes.contains(node)) return;
  core::NodeView& view = s.nodes.at(node);
  const bool was_healthy = view.healthy;
  view.healthy = healthy;
  if (was_healthy && !healthy) {
    // A node that went down may come back empty: stateful scorers forget what they learned.
    s.default_policy->on_node_reset(node);
    for (auto& [model, policy] : s.model_policy) policy->on_node_reset(node);
  }
  if (healthy) s.dispatch_to(node);
}

void Scheduler::set_draining(core::NodeIndex node, bool draining) {
  State& s = *state_;
  if (!s.nodes.contains(node)) return;
  s.nodes.at(node).draining = draining;
  if (!draining) s.dispatch_to(node);
}

void Scheduler::set_warmup(core::NodeIndex node, double warmup) {
  State& s = *state_;
  if (!s.nodes.contains(node)) return;
  const double before = s.nodes.at(node).warmup;
  s.nodes.at(node).warmup = std::clamp(warmup, 0.0, 1.0);
  if (warmup > before) s.dispatch_to(node);
}

std::span<const core::NodeView> Scheduler::nodes() const { return state_->nodes.views(); }

void Scheduler::submit(TaskSpec task) {
  State& s = *state_;
  const core::Time now = s.clock.now();
  if (s.queue.contains(task.id) || s.running.find(task.id)) {
    s.reject(task.id,
             core::invalid_argument("task id " + std::to_string(task.id) +
                                    " is already scheduled; every task needs a new id"),
             core::Duration::zero());
    return;
  }
  if (!s.nodes.serving(task.model)) {
    s.reject(task.id,
             core::not_found(
                 "no node serves the model '" + task.model + "'; GET /v1/models lists the models",
                 "model"),
             core::Duration::zero());
    return;
  }

  // Straight to a node only when nothing of this model with a priority at least as high is
  // waiting: a newcomer never overtakes queued work of its own model.
  // (The lane's rank: with several tenants its next task may be younger than its oldest.)
  const auto lane = s.queue.lane_of(task.model);
  const bool waiting = lane && !s.queue.lane_empty(*lane);
  if (!waiting || priority_key(task, now, s.options) > s.queue.rank(*lane).key) {
    if (auto decision = s.choose_or_preempt(task)) {
      const core::NodeIndex node = *decision->node;
      s.place(std::move(task), now, now, std::move(*decision));
      if (!s.requeue.empty()) {  // a preempted victim may fit elsewhere right away
        s.flush_requeue();
        s.dispatch_models_of(node);
      }
      return;
    }
  }

  const std::size_t c = class_index(task.priority_class);
  if (task.deadline && *task.deadline <= core::Duration::zero()) {
    ++s.timed_out_total[c];
    s.reject(task.id,
             Status(ErrorCode::kTimeout, "the task's deadline passed before a node was free"),
             core::Duration::zero());
    return;
  }
  const Admission admission = admit(task.priority_class, s.queue.sizes(), s.options);
  switch (admission.verdict) {
    case AdmissionVerdict::kAdmit:
      break;
    case AdmissionVerdict::kShed: {
      const core::TaskId victim = s.queue.newest(admission.shed_class)->spec.id;
      s.queue.remove(victim);
      ++s.shed_total[class_index(admission.shed_class)];
      s.reject(victim,
               Status(ErrorCode::kResourceExhausted,
                      "the queue is full and this " + class_name(admission.shed_class) +
                          " task was shed for more important work; retry after " +
                          seconds_text(s.options.retry_after)),
               s.options.retry_after);
      break;
    }
    case AdmissionVerdict::kRejectClassFull:
    case AdmissionVerdict::kRejectTotalFull: {
      ++s.rejected_total[c];
      const bool class_full = admission.verdict == AdmissionVerdict::kRejectClassFull;
      const std::string what =
          class_full ? "the " + class_name(task.priority_class) + " queue" : "the scheduler queue";
      const std::size_t bound = class_full ? s.options.queue_bound[c] : s.options.total_queue_bound;
      s.reject(task.id,
               Status(ErrorCode::kResourceExhausted, what + " is full (" + std::to_string(bound) +
                                                         " tasks waiting); retry after " +
                                                         seconds_text(s.options.retry_after)),
               s.options.retry_after);
      return;
    }
  }
  s.enqueue(std::move(task), now);
}

void Scheduler::started(TaskId task) {
  if (RunningTask* t = state_->running.find(task)) t->started = true;
}

void Scheduler::finished(TaskId task, const TaskResult& result) {
  State& s = *state_;
  if (!s.running.find(task)) {
    // Finished while queued again (its evacuation was not carried out): it is done.
    s.queue.remove(task);
    return;
  }
  RunningTask t = s.running.take(task);
  s.free_slot(t);
  if (result.ok) {
    record_sample(s.nodes.at(t.node).feedback,
                  latency_sample(result.ttft, result.e2e, result.output_tokens),
                  s.options.ewma_alpha);
    s.interval_tokens[t.node] += result.output_tokens;
  } else {
    ++s.failures[t.node];
  }
  s.dispatch_to(t.node);
}

void Scheduler::cancelled(TaskId task) {
  State& s = *state_;
  if (!s.running.find(task)) {
    s.queue.remove(task);
    return;
  }
  RunningTask t = s.running.take(task);
  s.free_slot(t);
  s.dispatch_to(t.node);
}

void Scheduler::tick() {
  State& s = *state_;
  s.expire_queued();
  s.dispatch_queued();
  if (s.clock.now() - s.last_feedback >= s.options.feedback_interval) s.recompute_feedback();
}

Actions Scheduler::take_actions() {
  state_->batch_first_seq = state_->running.next_seq();
  return std::exchange(state_->actions, Actions{});
}

const SchedulerOptions& Scheduler::options() const { return state_->options; }

}  // namespace autoglm::sched
