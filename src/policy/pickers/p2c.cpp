#include "policy/pickers/p2c.hpp"

#include "policy/pickers/max_score.hpp"

namespace autoglm::policy {

std::size_t P2cPicker::pick(std::span<const Candidate> scored, Rng& rng) {
  return pick_best_breaking_ties(scored, rng);
}

}  // namespace autoglm::policy
