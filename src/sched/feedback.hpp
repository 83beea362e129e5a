// Feedback from finished tasks: per-node EWMAs of TTFT, TPOT and end-to-end time, and the
// seed's latency_weight recomputed from them every feedback interval.
// Pure functions over NodeFeedback / NodeView values; the scheduler core calls them.
#pragma once

#include <cstdint>
#include <span>

#include "core/clock.hpp"
#include "core/node_view.hpp"

namespace autoglm::sched {

// One successful task's times. tpot = (e2e - ttft) / max(1, output_tokens - 1).
struct LatencySample {
  double ttft_ms = 0;
  double tpot_ms = 0;
  double e2e_ms = 0;
};
LatencySample latency_sample(core::Duration ttft, core::Duration e2e, std::int64_t output_tokens);

// EWMA with weight `alpha` for the new sample; the first sample is taken as is.
void record_sample(core::NodeFeedback& feedback, const LatencySample& sample, double alpha);

// The seed's formula, response times in seconds: max(10, (max_rt - rt + 1) * 100).
double latency_weight(double max_rt_s, double rt_s);

// Sets every node's feedback.weight from its e2e EWMA: latency_weight against the slowest
// node with samples, normalised so the best node has 1. Nodes without samples get 1 (no
// evidence against them, and they need traffic to gather some).
void recompute_weights(std::span<core::NodeView> nodes);

}  // namespace autoglm::sched
