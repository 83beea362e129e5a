// Small shared helpers for scorers: the neutral score for unknown metrics, clamping, and
// the common "relative to the best candidate" normalisations.
// Every scorer returns scores in [0, 1], higher is better; a metric that was not reported
// (negative) scores kNeutral, so an unmonitored node is never mistaken for an idle one.
#pragma once

#include <algorithm>
#include <span>

#include "core/node_view.hpp"
#include "policy/double_pair.hpp"

namespace autoglm::policy {

inline constexpr double kNeutral = 0.5;

inline double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

// A reported utilisation in [0, 1], or `fallback` when not reported (< 0).
inline double known_or(double value, double fallback) { return value < 0 ? fallback : value; }

// The largest value (or `floor` if larger). Two pairs of running maxima: four values per
// step, and no one long chain of dependent max instructions.
inline double max_of(std::span<const double> values, double floor) {
  DoublePair m0 = splat(floor), m1 = m0;
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) {
    m0 = max_pair(m0, load_pair(&values[i]));
    m1 = max_pair(m1, load_pair(&values[i + 2]));
  }
  double m = std::max(std::max(m0[0], m0[1]), std::max(m1[0], m1[1]));
  for (; i < values.size(); ++i) m = std::max(m, values[i]);
  return m;
}

// out[i] = value(nodes[slice[i]]) for every candidate of the slice: the measure loop of most
// scorers. Unrolled: its own increment, compare and jump cost as much as a cheap value.
template <typename Value>
void measure_each(std::span<const core::NodeView> nodes, std::span<const core::NodeIndex> slice,
                  std::span<double> out, Value value) {
  double* o = out.data();
#pragma GCC unroll 4
  for (const core::NodeIndex n : slice) *o++ = value(nodes[n]);
}

// Loads (>= 0) to scores: 1 - load / max_load; every score is 1 when every load is 0.
inline void invert_by_max(std::span<double> values) {
  const double max_load = max_of(values, 0.0);
  const double inv = max_load > 0 ? 1.0 / max_load : 0.0;
  for (double& v : values) v = 1.0 - v * inv;
}

}  // namespace autoglm::policy
