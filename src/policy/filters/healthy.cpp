#include "policy/filters/healthy.hpp"

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

// Bitwise, not &&: no branch on a per-node flag.
inline bool passes(const NodeView& node) { return node.healthy & !node.draining; }

}  // namespace

void HealthyFilter::apply(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                          std::vector<NodeIndex>& candidates, const Context& /*ctx*/) const {
  keep_if(candidates, nodes, [](const NodeView& node) { return passes(node); });
}

bool HealthyFilter::allows(const TaskSpec& /*task*/, const NodeView& node,
                           const Context& /*ctx*/) const {
  return passes(node);
}

}  // namespace autoglm::policy
