#include "sched/feedback.hpp"

#include <algorithm>

namespace autoglm::sched {

LatencySample latency_sample(core::Duration ttft, core::Duration e2e, std::int64_t output_tokens) {
  LatencySample s;
  s.ttft_ms = core::to_ms(ttft);
  s.e2e_ms = core::to_ms(e2e);
  const double decode_steps = static_cast<double>(std::max<std::int64_t>(1, output_tokens - 1));
  s.tpot_ms = std::max(0.0, s.e2e_ms - s.ttft_ms) / decode_steps;
  return s;
}

void record_sample(core::NodeFeedback& feedback, const LatencySample& sample, double alpha) {
  if (feedback.samples == 0) {
    feedback.ttft_ms = sample.ttft_ms;
    feedback.tpot_ms = sample.tpot_ms;
    feedback.e2e_ms = sample.e2e_ms;
  } else {
    feedback.ttft_ms += alpha * (sample.ttft_ms - feedback.ttft_ms);
    feedback.tpot_ms += alpha * (sample.tpot_ms - feedback.tpot_ms);
    feedback.e2e_ms += alpha * (sample.e2e_ms - feedback.e2e_ms);
  }
  ++feedback.samples;
}

double latency_weight(double max_rt_s, double rt_s) {
  return std::max(10.0, (max_rt_s - rt_s + 1.0) * 100.0);
}

void recompute_weights(std::span<core::NodeView> nodes) {
  double max_rt = 0;
  bool any = false;
  for (const auto& node : nodes) {
    if (node.feedback.samples == 0) continue;
    max_rt = std::max(max_rt, node.feedback.e2e_ms / 1000.0);
    any = true;
  }
  if (!any) {
    for (auto& node : nodes) node.feedback.weight = 1.0;
    return;
  }
  double best = 0;
  for (const auto& node : nodes) {
    if (node.feedback.samples > 0) {
      best = std::max(best, latency_weight(max_rt, node.feedback.e2e_ms / 1000.0));
    }
  }
  for (auto& node : nodes) {
    node.feedback.weight = node.feedback.samples == 0
                               ? 1.0
                               : latency_weight(max_rt, node.feedback.e2e_ms / 1000.0) / best;
  }
}

}  // namespace autoglm::sched
