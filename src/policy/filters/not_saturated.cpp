#include "policy/filters/not_saturated.hpp"

#include <algorithm>
#include <limits>

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

// The limits, prepared once per call. Unreported metrics are negative, so with limits
// clamped to >= 0 a plain `<=` lets them through without a separate test.
struct Limits {
  int max_waiting;
  double max_kv;
  explicit Limits(const Thresholds& t)
      : max_waiting(std::max(0, t.max_backend_waiting)),
        max_kv(std::max(0.0, t.max_kv_cache_usage)) {}
};

inline bool passes(const NodeView& node, const Limits& l) {
  const int capacity = node.capacity > 0 ? node.capacity : std::numeric_limits<int>::max();
  return node.in_flight < capacity && node.metrics.backend_waiting <= l.max_waiting &&
         node.metrics.kv_cache_usage <= l.max_kv;
}

}  // namespace

void NotSaturatedFilter::apply(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                               std::vector<NodeIndex>& candidates, const Context& ctx) const {
  const Limits limits(*ctx.thresholds);
  keep_if(candidates, nodes, [&](const NodeView& node) { return passes(node, limits); });
}

bool NotSaturatedFilter::allows(const TaskSpec& /*task*/, const NodeView& node,
                                const Context& ctx) const {
  return passes(node, Limits(*ctx.thresholds));
}

}  // namespace autoglm::policy
