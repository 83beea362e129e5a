#include "policy/scorers/energy.hpp"

#include <algorithm>

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {

void EnergyScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                           std::span<const NodeIndex> slice, std::span<double> out,
                           const Context& /*ctx*/) {
  measure_each(nodes, slice, out, [](const NodeView& n) { return n.feedback.tokens_per_joule; });
}

void EnergyScorer::normalise(const TaskSpec& /*task*/, std::span<const NodeView> /*nodes*/,
                             std::span<const NodeIndex> /*candidates*/, std::span<double> values,
                             const Context& /*ctx*/) {
  const double best = max_of(values, 0.0);
  const double inv = best > 0 ? 1.0 / best : 0.0;
  for (double& v : values) {  // branch-free, so it vectorises
    const double share = v * inv;
    v = v > 0 ? share : kNeutral;
  }
}

}  // namespace autoglm::policy
