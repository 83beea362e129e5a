#include "policy/pickers/weighted_random.hpp"

#include <algorithm>
#include <random>

namespace autoglm::policy {

std::size_t WeightedRandomPicker::pick(std::span<const Candidate> scored, Rng& rng) {
  double total = 0;
  for (const auto& c : scored) total += std::max(0.0, c.score);
  if (!(total > 0)) return std::uniform_int_distribution<std::size_t>(0, scored.size() - 1)(rng);
  double u = std::uniform_real_distribution<double>(0.0, total)(rng);
  for (std::size_t i = 0; i < scored.size(); ++i) {
    const double w = std::max(0.0, scored[i].score);
    if (u < w) return i;
    u -= w;
  }
  // Rounding left u just above the last weight: return the last candidate with any weight.
  for (std::size_t i = scored.size(); i-- > 0;) {
    if (scored[i].score > 0) return i;
  }
  return scored.size() - 1;
}

}  // namespace autoglm::policy
