#include "core/suggest.hpp"

#include <algorithm>

namespace autoglm::core {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t rows = a.size() + 1;
  const std::size_t cols = b.size() + 1;
  std::vector<std::size_t> d(rows * cols);
  auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * cols + j]; };
  for (std::size_t i = 0; i < rows; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j < cols; ++j) at(0, j) = j;
  for (std::size_t i = 1; i < rows; ++i) {
    for (std::size_t j = 1; j < cols; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(rows - 1, cols - 1);
}

namespace {

template <typename Candidates>
std::optional<std::string> closest_in(std::string_view name, const Candidates& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(name, candidate);
    // A name that is the start of a longer one ("tick" for "tick_ms") left out its unit.
    if (name.size() >= 3 && candidate.size() > name.size() && candidate.starts_with(name) &&
        candidate[name.size()] == '_') {
      distance = std::min(distance, limit);
    }
    // Rewriting every character of a short word is no typo: "x" is not "id".
    const bool plausible = distance < std::max(name.size(), candidate.size());
    if (plausible && distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string phrase(const std::optional<std::string>& match) {
  return match ? " (did you mean '" + *match + "'?)" : "";
}

}  // namespace

std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string>& candidates) {
  return closest_in(name, candidates);
}

std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string_view>& candidates) {
  return closest_in(name, candidates);
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  return phrase(closest_in(name, candidates));
}

std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates) {
  return phrase(closest_in(name, candidates));
}

}  // namespace autoglm::core
