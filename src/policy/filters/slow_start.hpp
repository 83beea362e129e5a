// Filter `slow_start`: a node that just (re)joined (back from down, un-ejected, newly
// registered) takes only a share of its normal traffic, as Envoy's slow start mode: it is
// admitted with probability NodeView::warmup, which the monitor ramps from
// monitor.slow-start.min-weight to 1 over monitor.slow-start.window. Nodes configured at
// start do not ramp. Draws from Context::rng, so the simulator stays deterministic.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class SlowStartFilter final : public Filter {
 public:
  std::string_view name() const override { return "slow_start"; }
  void apply(const TaskSpec& task, std::span<const NodeView> nodes,
             std::vector<NodeIndex>& candidates, const Context& ctx) const override;
  bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const override;
};

}  // namespace autoglm::policy
