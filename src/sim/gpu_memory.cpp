#include "sim/gpu_memory.hpp"

#include <cmath>

namespace autoglm::sim {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::int64_t gib_to_bytes(double gib) {
  return static_cast<std::int64_t>(std::llround(gib * kGiB));
}

}  // namespace

std::optional<GpuMemory> gpu_memory(const GpuProfile& profile, std::int64_t kv_used_tokens) {
  if (profile.gpu_memory_gib <= 0) return std::nullopt;
  GpuMemory m;
  m.total_bytes = gib_to_bytes(profile.gpu_memory_gib) * profile.num_gpus;
  m.used_bytes = gib_to_bytes(profile.weights_gib) + kv_used_tokens * profile.kv_bytes_per_token;
  return m;
}

}  // namespace autoglm::sim
