#include "policy/scorers/least_request.hpp"

#include <algorithm>

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {

void LeastRequestScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                                 std::span<const NodeIndex> slice, std::span<double> out,
                                 const Context& /*ctx*/) {
  for (std::size_t i = 0; i < slice.size(); ++i) {
    out[i] = static_cast<double>(std::max(0, nodes[slice[i]].in_flight));
  }
}

void LeastRequestScorer::normalise(const TaskSpec& /*task*/, std::span<const NodeView> /*nodes*/,
                                   std::span<const NodeIndex> /*candidates*/,
                                   std::span<double> values, const Context& /*ctx*/) {
  invert_by_max(values);
}

}  // namespace autoglm::policy
