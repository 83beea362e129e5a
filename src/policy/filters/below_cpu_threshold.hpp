// Filter `below_cpu_threshold`: pauses dispatch to a node whose reported CPU use is above
// Thresholds::cpu_pause (the seed's 85% rule). An unreported CPU (<0) passes.
// Reads NodeMetrics::cpu_util.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class BelowCpuThresholdFilter final : public Filter {
 public:
  std::string_view name() const override { return "below_cpu_threshold"; }
  void apply(const TaskSpec& task, std::span<const NodeView> nodes,
             std::vector<NodeIndex>& candidates, const Context& ctx) const override;
  bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const override;
};

}  // namespace autoglm::policy
