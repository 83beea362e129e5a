// Scorer `energy`: prefers the node that makes the most output tokens per joule:
//   score = tokens_per_joule / max_tokens_per_joule   (max over the candidates that report it)
// 0.5 (neutral) for a node without an energy figure. Meant as a small-weight tiebreaker.
// Reads NodeFeedback::tokens_per_joule.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class EnergyScorer final : public Scorer {
 public:
  std::string_view name() const override { return "energy"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
  void normalise(const TaskSpec& task, std::span<const NodeView> nodes,
                 std::span<const NodeIndex> candidates, std::span<double> values,
                 const Context& ctx) override;
};

}  // namespace autoglm::policy
