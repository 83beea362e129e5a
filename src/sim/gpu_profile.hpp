// GPU profiles: the constants of the latency model for one model on one kind of GPU.
// Profiles are data (profiles/*.yaml, compiled into the binary); docs/simulator.md cites sources.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace autoglm::sim {

struct GpuProfile {
  std::string name;   // e.g. "h100-80gb-8b": how configs refer to it
  std::string gpu;    // e.g. "H100-80GB"
  std::string model;  // e.g. "llama-3-8b"
  int num_gpus = 1;   // tensor-parallel degree

  // Iteration time (ms) = T_lin(P + D) + prefill_attn_ms * sum(q_i * ctx_i)
  //                      + decode_attn_ms * sum(ctx_j) + head_ms + cpu_overhead_ms,
  // T_lin(n) = max(linear_fixed_ms + linear_per_token_ms * n, linear_saturated_ms * n).
  double linear_fixed_ms = 0;
  double linear_per_token_ms = 0;
  double linear_saturated_ms = 0;
  double prefill_attn_ms = 0;  // per (new token x context token) pair
  double decode_attn_ms = 0;   // per context token read by a decoding sequence
  double head_ms = 0;          // output layer and sampling, once per iteration
  double cpu_overhead_ms = 0;  // framework overhead, once per iteration

  int max_batch = 256;                  // sequences in one iteration
  int max_batched_tokens = 8192;        // token budget per iteration (chunked prefill)
  std::int64_t kv_capacity_tokens = 0;  // KV-cache size in tokens
  int block_size = 16;                  // KV block size in tokens
  bool prefix_caching = true;

  // GPU memory, for what a simulated node reports (sim/gpu_memory.hpp). All three or none
  // (0: unknown, the node reports no memory); weights plus a full KV cache must fit.
  double gpu_memory_gib = 0;            // per GPU, as the data sheet names it (80 for H100-80GB)
  double weights_gib = 0;               // the model's weights over all num_gpus GPUs
  std::int64_t kv_bytes_per_token = 0;  // one token's KV over all layers and GPUs

  std::string source;  // where the constants come from
};

// Parses one profile from YAML text; `origin` names it in error messages.
// The YAML is a map whose snake_case keys are the field names above. Required: name, gpu,
// model, source, the seven latency constants and kv_capacity_tokens; the rest default
// as above. The memory fields go together and must hold the weights and a full KV cache.
// Unknown keys, wrong types and non-positive values are kInvalidArgument errors
// of the form "<origin>:<line>: <key>: <what is wrong>" (head_ms and cpu_overhead_ms may
// be 0). A missing key names the key in param().
core::Result<GpuProfile> parse_profile(const std::string& yaml, const std::string& origin);

// The profiles compiled in from profiles/*.yaml, sorted by name. Parsed once on first use
// (thread-safe); a built-in profile that fails to parse is a bug and throws.
const std::vector<GpuProfile>& builtin_profiles();

// A built-in profile by name; the error lists the known names.
core::Result<GpuProfile> find_profile(const std::string& name);

}  // namespace autoglm::sim
