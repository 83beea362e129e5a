#include "policy/scorers/kv_cache_free.hpp"

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {

void KvCacheFreeScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                                std::span<const NodeIndex> slice, std::span<double> out,
                                const Context& /*ctx*/) {
  for (std::size_t i = 0; i < slice.size(); ++i) {
    const double usage = nodes[slice[i]].metrics.kv_cache_usage;
    out[i] = usage < 0 ? kNeutral : 1.0 - clamp01(usage);
  }
}

}  // namespace autoglm::policy
