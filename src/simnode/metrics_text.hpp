// Prometheus text exposition (format 0.0.4) of a simulated engine's state, with the metric
// names vLLM uses, so anything that scrapes vLLM can scrape a simnode.
#pragma once

#include <string>

#include "sim/engine.hpp"

namespace autoglm::simnode {

std::string render_vllm_metrics(const sim::EngineStats& stats, const std::string& model);

}  // namespace autoglm::simnode
