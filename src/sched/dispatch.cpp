// Placement: asking the policy, the core's guard over its answer, dispatch from the queue,
// preemption of running preemptible work and evacuation of nodes short of memory.
#include <algorithm>
#include <utility>

#include "sched/priority.hpp"
#include "sched/scheduler_state.hpp"

namespace autoglm::sched {

namespace {
// Bounds on one preemption search: running preemptible tasks looked at, and of those the
// ones tried (each costs a single-node policy call), before the critical task just waits.
constexpr int kMaxVictimsExamined = 64;
constexpr int kMaxPreemptionAttempts = 8;
}  // namespace

policy::Pipeline& Scheduler::State::pipeline_for(const std::string& model) {
  auto it = model_policy.find(model);
  return it == model_policy.end() ? *default_policy : *it->second;
}

policy::Context Scheduler::State::context() {
  return policy::Context{clock.now(), &options.thresholds, &rng};
}

std::optional<policy::Decision> Scheduler::State::choose(const TaskSpec& task,
                                                         std::optional<core::NodeIndex> only) {
  const std::vector<core::NodeIndex>* start = nullptr;
  if (only) {
    const core::NodeView& node = nodes.at(*only);
    if (!node.serves(task.model) || !allowed_on(task, *only) ||
        !accepts_work(node, options.thresholds)) {
      return std::nullopt;
    }
    single.assign(1, *only);
    start = &single;
  } else {
    start = nodes.serving(task.model);
    if (!start) return std::nullopt;
  }
  if (!task.allowed_nodes.empty()) {
    restricted.clear();
    for (core::NodeIndex n : *start) {
      if (allowed_on(task, n)) restricted.push_back(n);
    }
    if (restricted.empty()) return std::nullopt;
    start = &restricted;
  }
  // Every starting list above holds only nodes that serve the model, so the policy's
  // serves-model filter need not check again. The scratch decision keeps its buffers
  // across failed attempts (most of a walk's).
  policy::Context ctx = context();
  ctx.eligible_serve_model = true;
  policy::Pipeline& pipeline = pipeline_for(task.model);
  pipeline.choose_into(decision, task, nodes.views(), start, ctx, options.explain_top);
  if (!decision.node) return std::nullopt;
  if (guard_allows(task, *decision.node)) return std::move(decision);
  if (only) return std::nullopt;
  // Defence in depth: the policy chose a node the core's guard forbids (its filters are
  // weaker than the guard). Ask again among the nodes the guard allows.
  nodes.accepting(task.model, options.thresholds, candidates);
  std::erase_if(candidates, [&](core::NodeIndex n) { return !allowed_on(task, n); });
  if (candidates.empty()) return std::nullopt;
  pipeline.choose_into(decision, task, nodes.views(), &candidates, ctx, options.explain_top);
  if (!decision.node || !guard_allows(task, *decision.node)) return std::nullopt;
  return std::move(decision);
}

bool Scheduler::State::guard_allows(const TaskSpec& task, core::NodeIndex node) const {
  return nodes.contains(node) && nodes.at(node).serves(task.model) && allowed_on(task, node) &&
         accepts_work(nodes.at(node), options.thresholds);
}

bool Scheduler::State::allowed_on(const TaskSpec& task, core::NodeIndex node) {
  return task.allowed_nodes.empty() ||
         std::binary_search(task.allowed_nodes.begin(), task.allowed_nodes.end(), node);
}

std::optional<policy::Decision> Scheduler::State::preempt_for(const TaskSpec& task) {
  if (task.priority_class != core::PriorityClass::kCritical) return std::nullopt;
  std::optional<policy::Decision> result;
  core::TaskId victim_id = 0;
  int examined = 0;
  int attempts = 0;
  running.for_each_preemptible_newest_first([&](const RunningTask& victim) {
    if (++examined > kMaxVictimsExamined) return false;
    if (victim.spec.priority_class == core::PriorityClass::kCritical) return true;
    if (victim.dispatch_seq >= batch_first_seq) return true;
    const core::NodeView& node = nodes.at(victim.node);
    if (!node.serves(task.model) || !allowed_on(task, victim.node) ||
        !accepts_work_if_slot_free(node, options.thresholds)) {
      return true;
    }
    if (++attempts > kMaxPreemptionAttempts) return false;
    // Free the victim's slot tentatively and ask the policy about that node alone: commit
    // only if the freed slot really lets the critical task in.
    nodes.release(victim.node, victim.spec);
    single.assign(1, victim.node);
    policy::Decision d = pipeline_for(task.model)
                             .choose(task, nodes.views(), &single, context(), options.explain_top);
    if (d.node && *d.node == victim.node && accepts_work(node, options.thresholds)) {
      victim_id = victim.spec.id;
      result = std::move(d);
      return false;
    }
    nodes.occupy(victim.node, victim.spec);
    return true;
  });
  if (!result) return std::nullopt;

  RunningTask victim = running.take(victim_id);  // its slot is already free
  ++preempted_total;
  actions.cancel.push_back(Cancellation{victim_id, victim.node, "preempted by critical work"});
  const double key = priority_key(victim.spec, victim.arrival, options);
  requeue.push_back(QueuedTask{std::move(victim.spec), victim.arrival, clock.now(), key, 0});
  return result;
}

std::optional<policy::Decision> Scheduler::State::choose_or_preempt(
    const TaskSpec& task, std::optional<core::NodeIndex> only) {
  if (auto decision = choose(task, only)) return decision;
  return preempt_for(task);
}

void Scheduler::State::place(TaskSpec task, core::Time arrival, core::Time enqueued,
                             policy::Decision decision) {
  const core::NodeIndex n = *decision.node;
  nodes.occupy(n, task);
  pipeline_for(task.model).on_dispatch(task, nodes.at(n));
  ++dispatched_total;
  actions.dispatch.push_back(Placement{task.id, n, clock.now() - enqueued, std::move(decision)});
  running.add(RunningTask{std::move(task), arrival, n, 0, false}, nodes.size());
}

void Scheduler::State::flush_requeue() {
  for (auto& task : requeue) {
    const std::string model = task.spec.model;
    queue.push(std::move(task));
    // A lane that gained work may be tried again by a walk in progress.
    const ReadyQueue::Lane lane = *queue.lane_of(model);
    if (lane >= lane_open.size()) lane_open.resize(lane + 1, 0);
    lane_open[lane] = 1;
  }
  requeue.clear();
}

void Scheduler::State::dispatch_queued() { walk(std::nullopt, std::nullopt); }

void Scheduler::State::dispatch_to(core::NodeIndex node) { walk(node, node); }

void Scheduler::State::dispatch_models_of(core::NodeIndex node) { walk(node, std::nullopt); }

void Scheduler::State::walk(std::optional<core::NodeIndex> lanes_of,
                            std::optional<core::NodeIndex> only) {
  if (queue.empty()) return;
  lane_open.assign(queue.lane_count(), lanes_of ? 0 : 1);
  if (lanes_of) {
    for (const auto& model : nodes.at(*lanes_of).models) {
      if (auto lane = queue.lane_of(model)) lane_open[*lane] = 1;
    }
  }
  for (std::size_t budget = options.dispatch_budget; budget > 0; --budget) {
    // The open lane whose rank comes first; lanes are few (one per model).
    std::optional<ReadyQueue::Lane> best;
    ReadyQueue::Rank best_rank{0, 0};
    for (ReadyQueue::Lane lane = 0; lane < lane_open.size(); ++lane) {
      if (!lane_open[lane]) continue;
      if (queue.lane_empty(lane)) {
        lane_open[lane] = 0;
        continue;
      }
      const ReadyQueue::Rank r = queue.rank(lane);
      if (!best || ReadyQueue::before(r, best_rank)) {
        best = lane;
        best_rank = r;
      }
    }
    if (!best) return;
    const QueuedTask* head = queue.top(*best);
    auto decision = choose_or_preempt(head->spec, only);
    if (!decision) {
      lane_open[*best] = 0;  // head-of-line: nothing behind it for this model goes first
      continue;
    }
    QueuedTask task = queue.pop(*best);
    place(std::move(task.spec), task.arrival, task.enqueued, std::move(*decision));
    flush_requeue();
  }
}

bool Scheduler::State::evacuate(core::NodeIndex node) {
  if (!above_memory_threshold(nodes.at(node), options.thresholds)) return false;
  for (core::TaskId id : running.on_node(node)) {
    const RunningTask* t = running.find(id);
    if (t->started || t->dispatch_seq >= batch_first_seq) continue;
    RunningTask task = running.take(id);
    nodes.release(node, task.spec);
    ++evacuated_total;
    actions.cancel.push_back(Cancellation{id, node, "node memory above threshold"});
    const double key = priority_key(task.spec, task.arrival, options);
    requeue.push_back(QueuedTask{std::move(task.spec), task.arrival, clock.now(), key, 0});
  }
  const bool moved = !requeue.empty();
  flush_requeue();
  return moved;
}

}  // namespace autoglm::sched
