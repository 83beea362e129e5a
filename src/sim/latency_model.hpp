// The iteration-level latency model of an LLM engine with continuous batching.
// Pure arithmetic over a GpuProfile; shared by simnode and the cluster simulator.
#pragma once

#include <cstdint>

#include "sim/gpu_profile.hpp"

namespace autoglm::sim {

// What one engine iteration (forward pass) processes.
struct BatchShape {
  std::int64_t prefill_tokens = 0;       // P: new prompt tokens across prefill chunks
  double prefill_attention_pairs = 0;    // sum over chunks of q_i * ctx_i
  std::int64_t decode_sequences = 0;     // D: sequences producing one token each
  std::int64_t decode_context_tokens = 0;  // sum of context lengths of decoding sequences
};

// Immutable after construction; safe to share between threads.
class LatencyModel {
 public:
  explicit LatencyModel(GpuProfile profile);

  const GpuProfile& profile() const { return profile_; }

  // Duration of one iteration in milliseconds. An empty batch takes 0.
  double iteration_ms(const BatchShape& batch) const;

  // Time to first token of a lone prompt of `prompt_tokens` on an idle engine, with
  // `cached_tokens` of it already in the prefix cache: the uncached rest is prefilled in
  // chunks of max_batched_tokens, one iteration each (at least the last prompt token is
  // always computed). Equals what Engine takes for a lone request.
  double ttft_ms(std::int64_t prompt_tokens, std::int64_t cached_tokens = 0) const;

  // Time per output token for `batch` sequences decoding with `context` tokens each.
  double tpot_ms(std::int64_t batch, std::int64_t context) const;

  // Attention pairs of a prefill chunk of `chunk_tokens` new tokens after
  // `context_before` tokens already in the KV cache: chunk * (context_before + chunk / 2),
  // the causal triangle within the chunk counted as half a square.
  static double prefill_pairs(std::int64_t chunk_tokens, std::int64_t context_before);

 private:
  GpuProfile profile_;
};

}  // namespace autoglm::sim
