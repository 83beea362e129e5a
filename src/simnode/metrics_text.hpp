// Prometheus text exposition (format 0.0.4) of a simulated engine's state, with the metric
// names vLLM uses, so anything that scrapes vLLM can scrape a simnode; plus the GPU memory
// a real node's NVML would show, which vLLM does not export.
#pragma once

#include <optional>
#include <string>

#include "sim/engine.hpp"
#include "sim/gpu_memory.hpp"

namespace autoglm::simnode {

// `memory` is sim::gpu_memory() of the engine's state, written as
// autoglm_simnode_gpu_memory_{used,total}_bytes (summed over the node's GPUs), the names
// monitor/backend_metrics.cpp reads. Without it (a profile without memory figures) they
// are left out rather than reported as zero.
std::string render_vllm_metrics(const sim::EngineStats& stats, const std::string& model,
                                const std::optional<sim::GpuMemory>& memory = std::nullopt);

}  // namespace autoglm::simnode
