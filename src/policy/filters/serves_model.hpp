// Filter `serves_model`: only nodes that list the task's model. A task with no model
// (empty string) may go anywhere. Reads NodeView::models (string compares per node), unless
// Context::eligible_serve_model says the starting candidates were drawn from a per-model
// index already.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class ServesModelFilter final : public Filter {
 public:
  std::string_view name() const override { return "serves_model"; }
  void apply(const TaskSpec& task, std::span<const NodeView> nodes,
             std::vector<NodeIndex>& candidates, const Context& ctx) const override;
  bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const override;
};

}  // namespace autoglm::policy
