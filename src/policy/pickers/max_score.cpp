#include "policy/pickers/max_score.hpp"

#include <random>

namespace autoglm::policy {
namespace {
constexpr double kTie = 1e-9;
}

std::size_t pick_best_breaking_ties(std::span<const Candidate> scored, Rng& rng) {
  // One pass for the best score and how many are tied with it; a second only on a tie.
  double best = scored[0].score;
  std::size_t best_at = 0;
  std::size_t ties = 1;
  for (std::size_t i = 1; i < scored.size(); ++i) {
    const double s = scored[i].score;
    if (s > best + kTie) {
      best = s;
      best_at = i;
      ties = 1;
    } else if (s >= best - kTie) {
      ++ties;
    }
  }
  if (ties == 1) return best_at;
  std::size_t nth = std::uniform_int_distribution<std::size_t>(0, ties - 1)(rng);
  for (std::size_t i = best_at; i < scored.size(); ++i) {
    if (scored[i].score >= best - kTie && nth-- == 0) return i;
  }
  return best_at;  // unreachable: the tied candidates all sit at or after best_at
}

std::size_t MaxScorePicker::pick(std::span<const Candidate> scored, Rng& rng) {
  return pick_best_breaking_ties(scored, rng);
}

}  // namespace autoglm::policy
