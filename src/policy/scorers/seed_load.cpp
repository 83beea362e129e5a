#include "policy/scorers/seed_load.hpp"

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {

void SeedLoadScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                             std::span<const NodeIndex> slice, std::span<double> out,
                             const Context& /*ctx*/) {
  for (std::size_t i = 0; i < slice.size(); ++i) {
    const auto& m = nodes[slice[i]].metrics;
    const double gpu = clamp01(known_or(m.gpu_util, kNeutral));
    const double mem = (m.gpu_mem_used >= 0 && m.gpu_mem_total > 0)
                           ? clamp01(m.gpu_mem_used / m.gpu_mem_total)
                           : kNeutral;
    out[i] = 1.0 - (0.6 * gpu + 0.4 * mem);
  }
}

}  // namespace autoglm::policy
