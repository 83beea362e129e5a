#include "policy/scorers/predicted_latency.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "policy/double_pair.hpp"
#include "policy/scorers/score_math.hpp"

namespace autoglm::policy {
namespace {

constexpr double kFeedbackSlots = 32;  // load reference when a node has no capacity bound

// The task's side of the formulas, computed once per decision rather than once per node.
struct TaskTerms {
  double input;
  double output;       // max_output_tokens
  double output_rest;  // max_output_tokens - 1, at least 0
  double own_tokens;   // input + output
  bool count_ttft;     // interactive: pred = ttft + e2e
  explicit TaskTerms(const TaskSpec& t)
      : input(static_cast<double>(t.input_tokens)),
        output(static_cast<double>(t.max_output_tokens)),
        output_rest(static_cast<double>(std::max<std::int64_t>(0, t.max_output_tokens - 1))),
        own_tokens(input + output),
        count_ttft(t.latency != core::LatencyClass::kBatch) {}
};

inline double combine(const TaskTerms& t, double ttft, double e2e) {
  const double pred = (t.count_ttft ? ttft : 0.0) + e2e;
  return pred > 0 ? pred : 0.0;  // std::max(0.0, pred), written so it compiles to maxsd
}

inline double from_speed(const TaskTerms& t, const NodeView& node) {
  const auto& sp = node.speed;
  const auto& m = node.metrics;
  // Sequences counted in integers and converted once.
  int seqs = std::max(0, node.in_flight);
  if (m.backend_running >= 0 && m.backend_waiting >= 0) {
    seqs = std::max(seqs, m.backend_running + m.backend_waiting);
  }
  double batch = seqs + 1.0;
  double wait = 0;
  if (sp.max_batch > 0 && seqs >= sp.max_batch) {  // batch > max_batch
    const double slots = sp.max_batch;
    const double avg_tokens = node.in_flight > 0
                                  ? static_cast<double>(node.in_flight_tokens) / node.in_flight
                                  : t.own_tokens;
    const double tpot_full = sp.decode_step_ms + sp.decode_ms_per_sequence * (slots - 1);
    wait = (batch - slots) / slots * avg_tokens * tpot_full;
    batch = slots;
  }
  const double tpot = sp.decode_step_ms + sp.decode_ms_per_sequence * (batch - 1);
  const double ttft = wait + sp.prefill_ms_per_token * t.input + tpot;
  return combine(t, ttft, ttft + t.output_rest * tpot);
}

inline double from_feedback(const TaskTerms& t, const NodeView& node) {
  const auto& fb = node.feedback;
  const double slots = node.capacity > 0 ? node.capacity : kFeedbackSlots;
  const double load = 1.0 + std::max(0, node.in_flight) / slots;
  const double e2e = fb.tpot_ms > 0 ? fb.ttft_ms + t.output * fb.tpot_ms : fb.e2e_ms;
  return combine(t, fb.ttft_ms * load, e2e * load);
}

// The smallest prediction (>= 0) among `values`, +infinity when there is none. Two pairs
// of running minima: four values per step, no one long chain of dependent min instructions.
double smallest_prediction(std::span<const double> values) {
  constexpr double kNone = std::numeric_limits<double>::infinity();
  const DoublePair none = splat(kNone);
  const DoublePair zero = splat(0.0);
  const auto known = [&](DoublePair v) { return v < zero ? none : v; };
  DoublePair m0 = none, m1 = none;
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) {
    m0 = min_pair(m0, known(load_pair(&values[i])));
    m1 = min_pair(m1, known(load_pair(&values[i + 2])));
  }
  double m = std::min(std::min(m0[0], m0[1]), std::min(m1[0], m1[1]));
  for (; i < values.size(); ++i) m = std::min(m, values[i] < 0 ? kNone : values[i]);
  return m;
}

inline double predict(const TaskTerms& t, const NodeView& node) {
  if (node.speed.known) return from_speed(t, node);
  if (node.feedback.samples > 0) return from_feedback(t, node);
  return -1;
}

}  // namespace

double PredictedLatencyScorer::predict_ms(const TaskSpec& task, const NodeView& node) {
  return predict(TaskTerms(task), node);
}

void PredictedLatencyScorer::measure(const TaskSpec& task, std::span<const NodeView> nodes,
                                     std::span<const NodeIndex> slice, std::span<double> out,
                                     const Context& /*ctx*/) {
  const TaskTerms terms(task);
  measure_each(nodes, slice, out, [&terms](const NodeView& n) { return predict(terms, n); });
}

void PredictedLatencyScorer::normalise(const TaskSpec& /*task*/,
                                       std::span<const NodeView> /*nodes*/,
                                       std::span<const NodeIndex> /*candidates*/,
                                       std::span<double> values, const Context& /*ctx*/) {
  const double best = smallest_prediction(values);
  // Branch-free, so it vectorises: every quotient is computed, then replaced where the node
  // has no prediction (< 0) or a zero one (then best == 0 too).
  for (double& v : values) {
    const double ratio = best / v;
    v = v < 0 ? kNeutral : (v > 0 ? ratio : 1.0);
  }
}

}  // namespace autoglm::policy
