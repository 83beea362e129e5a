// The few latency-model constants the scheduler's predicted_latency scorer needs, derived
// from a GPU profile so policies can predict without depending on the simulator.
#pragma once

#include "core/node_view.hpp"
#include "sim/gpu_profile.hpp"

namespace autoglm::sim {

// Prefill cost per token at saturation, a batch-1 decode step, and the extra step time
// per decoding sequence at a typical 1k-token context.
core::NodeSpeed node_speed(const GpuProfile& profile);

}  // namespace autoglm::sim
