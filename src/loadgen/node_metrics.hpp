// What the backends say about themselves during a load run: samples of vLLM's gauges
// (running and waiting requests, KV-cache use) scraped from each node's /metrics, and
// their summary per node. Pure; the scraping itself is in runner.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autoglm::loadgen {

struct NodeSample {
  double running = 0;   // vllm:num_requests_running (summed over model labels)
  double waiting = 0;   // vllm:num_requests_waiting
  double kv_usage = 0;  // vllm:gpu_cache_usage_perc, 0..1 (the largest over model labels)
};

// nullopt when the page has none of the three gauges.
std::optional<NodeSample> read_node_sample(std::string_view prometheus_text);

struct NodeSummary {
  std::string url;
  std::size_t samples = 0;   // scrapes that answered
  std::size_t failures = 0;  // scrapes that did not (a node down)
  double busy_share = 0;     // samples with at least one running request: the GPU's busy time
  double mean_running = 0;
  double mean_waiting = 0;
  double mean_kv_usage = 0;
};

NodeSummary summarize_node(std::string url, const std::vector<NodeSample>& samples,
                           std::size_t failures);

}  // namespace autoglm::loadgen
