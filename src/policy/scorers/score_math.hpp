// Small shared helpers for scorers: the neutral score for unknown metrics, clamping, and
// the common "relative to the best candidate" normalisations.
// Every scorer returns scores in [0, 1], higher is better; a metric that was not reported
// (negative) scores kNeutral, so an unmonitored node is never mistaken for an idle one.
#pragma once

#include <algorithm>
#include <span>

namespace autoglm::policy {

inline constexpr double kNeutral = 0.5;

inline double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

// A reported utilisation in [0, 1], or `fallback` when not reported (< 0).
inline double known_or(double value, double fallback) { return value < 0 ? fallback : value; }

// The largest value (or `floor` if larger). Four independent running maxima, so the loop
// is not held up by one long chain of dependent max instructions.
inline double max_of(std::span<const double> values, double floor) {
  double m0 = floor, m1 = floor, m2 = floor, m3 = floor;
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) {
    m0 = std::max(m0, values[i]);
    m1 = std::max(m1, values[i + 1]);
    m2 = std::max(m2, values[i + 2]);
    m3 = std::max(m3, values[i + 3]);
  }
  for (; i < values.size(); ++i) m0 = std::max(m0, values[i]);
  return std::max(std::max(m0, m1), std::max(m2, m3));
}

// Loads (>= 0) to scores: 1 - load / max_load; every score is 1 when every load is 0.
inline void invert_by_max(std::span<double> values) {
  const double max_load = max_of(values, 0.0);
  const double inv = max_load > 0 ? 1.0 / max_load : 0.0;
  for (double& v : values) v = 1.0 - v * inv;
}

}  // namespace autoglm::policy
