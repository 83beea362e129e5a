#include "policy/filters/slow_start.hpp"

#include <random>

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

inline bool passes(const NodeView& node, const Context& ctx) {
  if (node.warmup >= 1.0) return true;  // the common case draws nothing
  return std::uniform_real_distribution<double>(0.0, 1.0)(*ctx.rng) < node.warmup;
}

}  // namespace

void SlowStartFilter::apply(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                            std::vector<NodeIndex>& candidates, const Context& ctx) const {
  keep_if(candidates, nodes, [&](const NodeView& node) { return passes(node, ctx); });
}

bool SlowStartFilter::allows(const TaskSpec& /*task*/, const NodeView& node,
                             const Context& ctx) const {
  return passes(node, ctx);
}

}  // namespace autoglm::policy
