#include "policy/scorers/queue_depth.hpp"

#include <algorithm>

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {

void QueueDepthScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                               std::span<const NodeIndex> slice, std::span<double> out,
                               const Context& /*ctx*/) {
  measure_each(nodes, slice, out, [](const NodeView& n) {
    return static_cast<double>(std::max(0, n.in_flight) + std::max(0, n.metrics.backend_waiting));
  });
}

void QueueDepthScorer::normalise(const TaskSpec& /*task*/, std::span<const NodeView> /*nodes*/,
                                 std::span<const NodeIndex> /*candidates*/,
                                 std::span<double> values, const Context& /*ctx*/) {
  invert_by_max(values);
}

}  // namespace autoglm::policy
