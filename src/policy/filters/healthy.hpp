// Filter `healthy`: only nodes that are healthy and not draining.
// Reads NodeView::healthy, NodeView::draining.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class HealthyFilter final : public Filter {
 public:
  std::string_view name() const override { return "healthy"; }
  void apply(const TaskSpec& task, std::span<const NodeView> nodes,
             std::vector<NodeIndex>& candidates, const Context& ctx) const override;
  bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const override;
};

}  // namespace autoglm::policy
