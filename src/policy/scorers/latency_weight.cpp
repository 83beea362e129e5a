#include "policy/scorers/latency_weight.hpp"

#include <algorithm>

#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {
namespace {

constexpr double kMinWeight = 10;
constexpr double kNoSamples = -1;  // measured value of a node without samples

}  // namespace

void LatencyWeightScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                                  std::span<const NodeIndex> slice, std::span<double> out,
                                  const Context& /*ctx*/) {
  for (std::size_t i = 0; i < slice.size(); ++i) {
    const auto& fb = nodes[slice[i]].feedback;
    out[i] = fb.samples > 0 ? std::max(0.0, fb.e2e_ms) / 1000.0 : kNoSamples;  // seconds
  }
}

void LatencyWeightScorer::normalise(const TaskSpec& /*task*/, std::span<const NodeView> /*nodes*/,
                                    std::span<const NodeIndex> /*candidates*/,
                                    std::span<double> values, const Context& /*ctx*/) {
  const double max_rt = max_of(values, kNoSamples);
  if (max_rt == kNoSamples) {  // nobody has samples: all equal
    std::fill(values.begin(), values.end(), 1.0);
    return;
  }
  // The fastest sampled node has the largest weight; unsampled nodes share it.
  double best = kMinWeight;
  for (double& v : values) {
    if (v == kNoSamples) continue;
    v = std::max(kMinWeight, (max_rt - v + 1.0) * 100.0);
    best = std::max(best, v);
  }
  const double inv = 1.0 / best;
  for (double& v : values) v = v == kNoSamples ? 1.0 : v * inv;
}

}  // namespace autoglm::policy
