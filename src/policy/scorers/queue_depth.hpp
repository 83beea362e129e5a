// Scorer `queue_depth`: fewer requests on the node is better, counting both what this gateway
// put there and what the backend says is waiting (work from other gateways shows up there):
//   load  = in_flight + max(0, backend_waiting)
//   score = 1 - load / max_load          (max over the candidates; all 1 when max_load = 0)
// Reads NodeView::in_flight, NodeMetrics::backend_waiting.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class QueueDepthScorer final : public Scorer {
 public:
  std::string_view name() const override { return "queue_depth"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
  void normalise(const TaskSpec& task, std::span<const NodeView> nodes,
                 std::span<const NodeIndex> candidates, std::span<double> values,
                 const Context& ctx) override;
};

}  // namespace autoglm::policy
