#include "policy/filters/below_cpu_threshold.hpp"

#include <algorithm>

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

// An unreported CPU is negative: with the limit clamped to >= 0 a plain `<=` passes it.
inline double cpu_limit(const Thresholds& t) { return std::max(0.0, t.cpu_pause); }

}  // namespace

void BelowCpuThresholdFilter::apply(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                                    std::vector<NodeIndex>& candidates, const Context& ctx) const {
  const double limit = cpu_limit(*ctx.thresholds);
  keep_if(candidates, nodes,
          [limit](const NodeView& node) { return node.metrics.cpu_util <= limit; });
}

bool BelowCpuThresholdFilter::allows(const TaskSpec& /*task*/, const NodeView& node,
                                     const Context& ctx) const {
  return node.metrics.cpu_util <= cpu_limit(*ctx.thresholds);
}

}  // namespace autoglm::policy
