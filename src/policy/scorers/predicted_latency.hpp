// Scorer `predicted_latency`: the expected latency of this task on this node, as a score
//   score = min_pred / pred        (min over the candidates with a prediction; 0.5 without one)
// where pred = ttft + e2e for interactive tasks (first token counts twice: it is what users
// feel) and pred = e2e for batch tasks.
//
// With the node's latency-model constants (NodeSpeed::known, e.g. from its GPU profile):
//   seqs  = max(in_flight, backend_running + backend_waiting when reported)   already there
//   slots = max_batch (unbounded when 0)
//   tpot  = decode_step_ms + decode_ms_per_sequence * (min(seqs + 1, slots) - 1)
//   ahead = max(0, seqs + 1 - slots)                     tasks waiting for a batch slot first
//   wait  = ahead / slots * avg_task_tokens * tpot       avg over the node's in-flight tokens
//   ttft  = wait + prefill_ms_per_token * input_tokens + tpot
//   e2e   = ttft + (max_output_tokens - 1) * tpot
// Without them, from feedback EWMAs (NodeFeedback::samples > 0), scaled by the load now so
// a fast node does not take every request until its EWMA catches up:
//   load  = 1 + in_flight / (capacity > 0 ? capacity : 32)
//   ttft  = ttft_ms * load;  e2e = (tpot_ms > 0 ? ttft_ms + max_output * tpot_ms : e2e_ms) * load
// Reads TaskSpec::input_tokens, max_output_tokens, latency; NodeView::in_flight,
// in_flight_tokens, capacity; NodeMetrics::backend_running, backend_waiting; NodeSpeed;
// NodeFeedback::ttft_ms, tpot_ms, e2e_ms, samples.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class PredictedLatencyScorer final : public Scorer {
 public:
  std::string_view name() const override { return "predicted_latency"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
  void normalise(const TaskSpec& task, std::span<const NodeView> nodes,
                 std::span<const NodeIndex> candidates, std::span<double> values,
                 const Context& ctx) override;

  // The predicted milliseconds (ttft + e2e, or e2e for batch work); negative when the node
  // has neither a speed profile nor feedback samples.
  static double predict_ms(const TaskSpec& task, const NodeView& node);
};

}  // namespace autoglm::policy
