// The GPU memory a simulated node reports, as NVML shows it on a real one: the model's
// weights plus the KV cache its running sequences hold. The one place that computes it:
// the simnode's /metrics and the profile check both ask here.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/gpu_profile.hpp"

namespace autoglm::sim {

struct GpuMemory {
  std::int64_t used_bytes = 0;   // summed over the profile's num_gpus GPUs
  std::int64_t total_bytes = 0;  // likewise
  std::int64_t free_bytes() const { return total_bytes - used_bytes; }
};

// The memory with `kv_used_tokens` tokens of KV held (EngineStats::kv_used_tokens, whole
// blocks). Unlike vLLM, which reserves its whole KV pool at start, only KV in use counts:
// free memory then follows the load, which is what elastic batching sizes batches from.
// nullopt when the profile gives no memory figures (gpu_memory_gib is 0).
std::optional<GpuMemory> gpu_memory(const GpuProfile& profile, std::int64_t kv_used_tokens);

}  // namespace autoglm::sim
