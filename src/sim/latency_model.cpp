#include "sim/latency_model.hpp"

#include <algorithm>
#include <utility>

namespace autoglm::sim {

LatencyModel::LatencyModel(GpuProfile profile) : profile_(std::move(profile)) {}

double LatencyModel::iteration_ms(const BatchShape& batch) const {
  const std::int64_t tokens = batch.prefill_tokens + batch.decode_sequences;
  if (tokens <= 0) return 0.0;
  const GpuProfile& p = profile_;
  const double n = double(tokens);
  const double linear = std::max(p.linear_fixed_ms + p.linear_per_token_ms * n,
                                 p.linear_saturated_ms * n);
  return linear + p.prefill_attn_ms * batch.prefill_attention_pairs +
         p.decode_attn_ms * double(batch.decode_context_tokens) + p.head_ms + p.cpu_overhead_ms;
}

double LatencyModel::prefill_pairs(std::int64_t chunk_tokens, std::int64_t context_before) {
  return double(chunk_tokens) * (double(context_before) + double(chunk_tokens) / 2.0);
}

double LatencyModel::ttft_ms(std::int64_t prompt_tokens, std::int64_t cached_tokens) const {
  if (prompt_tokens <= 0) return 0.0;
  // At least the last prompt token is computed: it produces the first output token.
  std::int64_t done = std::clamp<std::int64_t>(cached_tokens, 0, prompt_tokens - 1);
  const std::int64_t budget = std::max(1, profile_.max_batched_tokens);
  double total = 0.0;
  while (done < prompt_tokens) {
    BatchShape chunk;
    chunk.prefill_tokens = std::min(budget, prompt_tokens - done);
    chunk.prefill_attention_pairs = prefill_pairs(chunk.prefill_tokens, done);
    total += iteration_ms(chunk);
    done += chunk.prefill_tokens;
  }
  return total;
}

double LatencyModel::tpot_ms(std::int64_t batch, std::int64_t context) const {
  BatchShape shape;
  shape.decode_sequences = batch;
  shape.decode_context_tokens = batch * context;
  return iteration_ms(shape);
}

}  // namespace autoglm::sim
