// Picker `weighted_random`: draws a candidate with probability proportional to its score
// (negative scores count as 0). When every score is 0 (e.g. a pipeline with no scorers, the
// `random` preset) it draws uniformly.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class WeightedRandomPicker final : public Picker {
 public:
  std::string_view name() const override { return "weighted_random"; }
  std::size_t pick(std::span<const Candidate> scored, Rng& rng) override;
};

}  // namespace autoglm::policy
