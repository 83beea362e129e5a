#include "policy/filters/tenant_allowed.hpp"

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

inline bool passes(const TaskSpec& task, const NodeView& node) {
  if (node.tenants.empty()) return true;
  for (const auto& t : node.tenants) {
    if (t == task.tenant) return true;
  }
  return false;
}

}  // namespace

void TenantAllowedFilter::apply(const TaskSpec& task, std::span<const NodeView> nodes,
                                std::vector<NodeIndex>& candidates, const Context& /*ctx*/) const {
  keep_if(candidates, nodes, [&](const NodeView& node) { return passes(task, node); });
}

bool TenantAllowedFilter::allows(const TaskSpec& task, const NodeView& node,
                                 const Context& /*ctx*/) const {
  return passes(task, node);
}

}  // namespace autoglm::policy
