// The DAG execution state machine as a pure function: from the spec and each node's state,
// which pending nodes to release or skip now, and whether the run has finished.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "workflow/dag_spec.hpp"

namespace autoglm::workflow {

struct DagPlan {
  // Nodes to queue now, in topological order, no more than max_parallelism minus the
  // nodes already queued or running allows.
  std::vector<std::size_t> release;
  // Nodes whose trigger rule can no longer be met, with the reason; dependents of a
  // skipped node are decided in the same plan (a skip cascades).
  std::vector<std::pair<std::size_t, std::string>> skip;
  // Set when, after the skips, every node has finished: failed if any node failed,
  // else succeeded.
  std::optional<store::TaskState> finished;
};

// `states[i]` is the state of spec.tasks[i]. REQUIRES: validate_dag(spec) ok and
// states.size() == spec.tasks.size(). Deterministic.
DagPlan plan_dag(const DagSpec& spec, std::span<const store::TaskState> states);

}  // namespace autoglm::workflow
