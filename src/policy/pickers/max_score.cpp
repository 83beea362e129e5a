#include "policy/pickers/max_score.hpp"

#include <algorithm>
#include <random>

namespace autoglm::policy {
namespace {

constexpr double kTie = 1e-9;

// The highest score. Four running maxima and no branch per candidate, so the loop is a few
// instructions per candidate, not held up by one chain of dependent max instructions.
double highest(std::span<const Candidate> scored) {
  double m0 = scored[0].score, m1 = m0, m2 = m0, m3 = m0;
  std::size_t i = 1;
  for (; i + 4 <= scored.size(); i += 4) {
    m0 = std::max(m0, scored[i].score);
    m1 = std::max(m1, scored[i + 1].score);
    m2 = std::max(m2, scored[i + 2].score);
    m3 = std::max(m3, scored[i + 3].score);
  }
  for (; i < scored.size(); ++i) m0 = std::max(m0, scored[i].score);
  return std::max(std::max(m0, m1), std::max(m2, m3));
}

// The position of the only candidate scoring at least `floor`, or scored.size() when none or
// several do.
std::size_t only_one_at_least(std::span<const Candidate> scored, double floor) {
  const auto at_least = [floor](const Candidate& c) { return c.score >= floor; };
  const auto first = std::find_if(scored.begin(), scored.end(), at_least);
  if (first == scored.end() || std::any_of(first + 1, scored.end(), at_least)) {
    return scored.size();
  }
  return static_cast<std::size_t>(first - scored.begin());
}

// The rule itself, in one pass: a later score counts as better only when it beats the best
// so far by more than kTie, else it is tied with it when within kTie; a second pass only on
// a tie.
std::size_t pick_in_order(std::span<const Candidate> scored, Rng& rng) {
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

}  // namespace

std::size_t pick_best_breaking_ties(std::span<const Candidate> scored, Rng& rng) {
  if (scored.size() < 8) return pick_in_order(scored, rng);  // e.g. p2c's two: one pass is less
  // Usually one candidate stands clear of all others: find it with two branch-free scans
  // (the maximum, then whoever comes near it) instead of the branchy rule per candidate.
  // Clear by 2 * kTie, not kTie, so rounding in the rule's `best +- kTie` cannot matter:
  // the rule then ends on that candidate with no tie, and neither draws from the rng.
  // Otherwise (ties, near-ties) the rule decides, exactly as written.
  const std::size_t clear = only_one_at_least(scored, highest(scored) - 2 * kTie);
  if (clear < scored.size()) return clear;
  return pick_in_order(scored, rng);
}

std::size_t MaxScorePicker::pick(std::span<const Candidate> scored, Rng& rng) {
  return pick_best_breaking_ties(scored, rng);
}

}  // namespace autoglm::policy
