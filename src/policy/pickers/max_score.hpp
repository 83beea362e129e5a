// Picker `max_score`: the candidate with the highest total score. Candidates within 1e-9 of
// the best are tied, and one of them is drawn uniformly with the rng, so equal nodes share
// the load instead of the first one taking everything.
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class MaxScorePicker final : public Picker {
 public:
  std::string_view name() const override { return "max_score"; }
  std::size_t pick(std::span<const Candidate> scored, Rng& rng) override;
};

// The shared rule: best score, ties drawn uniformly. Used by p2c as well.
std::size_t pick_best_breaking_ties(std::span<const Candidate> scored, Rng& rng);

}  // namespace autoglm::policy
