// Filter `not_saturated`: drops nodes that cannot take more work now:
//   in_flight >= capacity (when capacity > 0),
//   backend_waiting > Thresholds::max_backend_waiting (when reported),
//   kv_cache_usage > Thresholds::max_kv_cache_usage (when reported).
// Reads NodeView::capacity, in_flight, NodeMetrics::backend_waiting, kv_cache_usage.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class NotSaturatedFilter final : public Filter {
 public:
  std::string_view name() const override { return "not_saturated"; }
  void apply(const TaskSpec& task, std::span<const NodeView> nodes,
             std::vector<NodeIndex>& candidates, const Context& ctx) const override;
  bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const override;
};

}  // namespace autoglm::policy
