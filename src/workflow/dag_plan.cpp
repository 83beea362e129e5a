#include "workflow/dag_plan.hpp"

#include <limits>
#include <map>

#include "workflow/dag_validate.hpp"

namespace autoglm::workflow {

using store::TaskState;

namespace {

enum class Verdict { kWait, kReady, kSkip };

struct UpstreamSummary {
  int total = 0;
  int finished = 0;
  int succeeded = 0;
  int failed = 0;
};

Verdict decide(TriggerRule rule, const UpstreamSummary& u) {
  const bool all_done = u.finished == u.total;
  switch (rule) {
    case TriggerRule::kAllSuccess:
      if (u.succeeded == u.total) return Verdict::kReady;
      // A finished upstream that did not succeed (failed, skipped, cancelled) dooms it.
      return u.finished > u.succeeded ? Verdict::kSkip : Verdict::kWait;
    case TriggerRule::kAllDone:
      return all_done ? Verdict::kReady : Verdict::kWait;
    case TriggerRule::kOneFailed:
      if (u.failed > 0) return Verdict::kReady;
      return all_done ? Verdict::kSkip : Verdict::kWait;
  }
  return Verdict::kWait;
}

std::string skip_reason(TriggerRule rule) {
  switch (rule) {
    case TriggerRule::kAllSuccess:
      return "skipped: an upstream task did not succeed (all_success)";
    case TriggerRule::kOneFailed:
      return "skipped: no upstream task failed (one_failed)";
    case TriggerRule::kAllDone:
      break;
  }
  return "skipped";
}

}  // namespace

DagPlan plan_dag(const DagSpec& spec, std::span<const TaskState> states_in) {
  std::vector<TaskState> states(states_in.begin(), states_in.end());
  std::map<std::string, std::size_t, std::less<>> idx;
  for (std::size_t i = 0; i < spec.tasks.size(); ++i) idx.emplace(spec.tasks[i].id, i);

  int active = 0;
  for (TaskState s : states) active += (s == TaskState::kQueued || s == TaskState::kRunning);
  const int cap = spec.max_parallelism > 0 ? spec.max_parallelism : std::numeric_limits<int>::max();

  DagPlan plan;
  for (std::size_t i : topological_order(spec)) {
    if (states[i] != TaskState::kPending) continue;
    const auto& t = spec.tasks[i];
    UpstreamSummary u;
    for (const auto& r : t.upstream) {
      const TaskState s = states[idx.at(r)];
      ++u.total;
      u.finished += store::is_terminal(s);
      u.succeeded += s == TaskState::kSucceeded;
      u.failed += s == TaskState::kFailed;
    }
    const Verdict v = decide(t.trigger_rule, u);
    if (v == Verdict::kSkip) {
      states[i] = TaskState::kSkipped;
      plan.skip.emplace_back(i, skip_reason(t.trigger_rule));
    } else if (v == Verdict::kReady && active < cap) {
      plan.release.push_back(i);
      ++active;
    }
  }
  bool all_finished = true;
  bool any_failed = false;
  for (std::size_t i = 0; i < states.size(); ++i) {
    all_finished = all_finished && store::is_terminal(states[i]);
    any_failed = any_failed || states[i] == TaskState::kFailed;
  }
  if (all_finished && plan.release.empty()) {
    plan.finished = any_failed ? TaskState::kFailed : TaskState::kSucceeded;
  }
  return plan;
}

}  // namespace autoglm::workflow
