#include "policy/scorers/resource.hpp"

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {

void ResourceScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                             std::span<const NodeIndex> slice, std::span<double> out,
                             const Context& /*ctx*/) {
  for (std::size_t i = 0; i < slice.size(); ++i) {
    const auto& m = nodes[slice[i]].metrics;
    const double cpu_free = 1.0 - clamp01(known_or(m.cpu_util, kNeutral));
    const double mem_free = 1.0 - clamp01(known_or(m.mem_util, kNeutral));
    const double net_free = 1.0 - clamp01(known_or(m.net_util, kNeutral));
    out[i] = 0.4 * cpu_free + 0.4 * mem_free + 0.2 * net_free;
  }
}

}  // namespace autoglm::policy
