// Scorer `latency_weight`: the seed's response-time weight, from the EWMA end-to-end time
// in seconds (rt = NodeFeedback::e2e_ms / 1000) of nodes with samples:
//   weight = max(10, (max_rt - rt + 1) * 100)      (max_rt over the sampled candidates)
//   score  = weight / max_weight
// A node with no samples yet gets the best weight, so new nodes are explored.
// Reads NodeFeedback::e2e_ms, samples.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class LatencyWeightScorer final : public Scorer {
 public:
  std::string_view name() const override { return "latency_weight"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
  void normalise(const TaskSpec& task, std::span<const NodeView> nodes,
                 std::span<const NodeIndex> candidates, std::span<double> values,
                 const Context& ctx) override;
};

}  // namespace autoglm::policy
