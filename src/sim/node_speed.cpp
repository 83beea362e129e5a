#include "sim/node_speed.hpp"

namespace autoglm::sim {

namespace {
constexpr double kTypicalContextTokens = 1024;
}

core::NodeSpeed node_speed(const GpuProfile& p) {
  core::NodeSpeed speed;
  speed.known = true;
  speed.prefill_ms_per_token = p.linear_saturated_ms;
  speed.decode_step_ms = p.linear_fixed_ms + p.linear_per_token_ms + p.head_ms +
                         p.cpu_overhead_ms + p.decode_attn_ms * kTypicalContextTokens;
  speed.decode_ms_per_sequence = p.linear_per_token_ms + p.decode_attn_ms * kTypicalContextTokens;
  speed.max_batch = p.max_batch;
  return speed;
}

}  // namespace autoglm::sim
