#include "policy/filters/tenant_allowed.hpp"

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

// Out of line: most nodes have no tenant list, and the string compares kept inline would
// crowd the loop over nodes out of registers.
[[gnu::noinline]] bool listed(const std::string& tenant, const std::vector<std::string>& tenants) {
  for (const auto& t : tenants) {
    if (t == tenant) return true;
  }
  return false;
}

inline bool passes(const TaskSpec& task, const NodeView& node) {
  return node.tenants.empty() || listed(task.tenant, node.tenants);
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
