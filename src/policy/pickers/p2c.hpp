// Picker `p2c` (power of two choices): the pipeline samples two distinct random candidates
// that pass every filter, scores only those two and this picker takes the better one (ties
// drawn with the rng). Near least-loaded balance at O(1) cost per decision, whatever the
// cluster size (Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing").
// Stateless; owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class P2cPicker final : public Picker {
 public:
  std::string_view name() const override { return "p2c"; }
  std::size_t pick(std::span<const Candidate> scored, Rng& rng) override;
  int sample_size() const override { return 2; }
};

}  // namespace autoglm::policy
