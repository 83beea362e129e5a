// Scorer `least_request`: Envoy-style least request on what this gateway dispatched:
//   score = 1 - in_flight / max_in_flight   (max over the candidates; all 1 when it is 0)
// Unlike queue_depth it needs no backend metrics, so it works with any OpenAI server.
// Reads NodeView::in_flight.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class LeastRequestScorer final : public Scorer {
 public:
  std::string_view name() const override { return "least_request"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
  void normalise(const TaskSpec& task, std::span<const NodeView> nodes,
                 std::span<const NodeIndex> candidates, std::span<double> values,
                 const Context& ctx) override;
};

}  // namespace autoglm::policy
