#include "policy/scorers/kv_cache_free.hpp"

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {

void KvCacheFreeScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                                std::span<const NodeIndex> slice, std::span<double> out,
                                const Context& /*ctx*/) {
  measure_each(nodes, slice, out, [](const NodeView& n) {
    const double usage = n.metrics.kv_cache_usage;
    return usage < 0 ? kNeutral : 1.0 - clamp01(usage);
  });
}

}  // namespace autoglm::policy
