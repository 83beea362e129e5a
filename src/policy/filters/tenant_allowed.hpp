// Filter `tenant_allowed`: a node with a tenant list takes only those tenants' tasks; a
// node with an empty list takes every tenant. Reads NodeView::tenants, TaskSpec::tenant.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class TenantAllowedFilter final : public Filter {
 public:
  std::string_view name() const override { return "tenant_allowed"; }
  void apply(const TaskSpec& task, std::span<const NodeView> nodes,
             std::vector<NodeIndex>& candidates, const Context& ctx) const override;
  bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const override;
};

}  // namespace autoglm::policy
