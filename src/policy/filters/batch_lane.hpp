// Filter `batch_lane`: batch work fills idle capacity but leaves a reserve for interactive
// work. A task is batch work when its LatencyClass is kBatch or its priority class is batch
// or sheddable; it passes only nodes with
//   in_flight < capacity * (1 - Thresholds::batch_reserve)        (capacity > 0), or
//   backend_waiting <= 0 (or unreported)                           (capacity == 0: no bound).
// Interactive tasks always pass. Reads TaskSpec::latency, priority_class, NodeView::capacity,
// in_flight, NodeMetrics::backend_waiting.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class BatchLaneFilter final : public Filter {
 public:
  std::string_view name() const override { return "batch_lane"; }
  void apply(const TaskSpec& task, std::span<const NodeView> nodes,
             std::vector<NodeIndex>& candidates, const Context& ctx) const override;
  bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const override;
};

}  // namespace autoglm::policy
