// NodeView: the scheduler's picture of one node at a moment: identity, health, what the
// scheduler itself has put on it, what monitoring last reported, and what feedback learned.
// Plain data, owned by the scheduler core's node table; policies read it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace autoglm::core {

using NodeIndex = std::uint32_t;

// Reported by agents or scraped from the backend. A negative value means "not reported":
// scorers that need it treat the node as neutral, never as idle.
struct NodeMetrics {
  double gpu_util = -1;       // 0..1, mean over the node's GPUs
  double gpu_mem_used = -1;   // bytes
  double gpu_mem_total = -1;  // bytes
  double cpu_util = -1;       // 0..1
  double mem_util = -1;       // host memory used / total, 0..1
  double net_util = -1;       // 0..1 of link capacity
  int backend_running = -1;   // vllm:num_requests_running
  int backend_waiting = -1;   // vllm:num_requests_waiting
  double kv_cache_usage = -1; // vllm:gpu_cache_usage_perc, 0..1
  double power_watts = -1;    // NVML, summed over GPUs
  Time updated_at{0};
};

// Learned from finished tasks (EWMA), recomputed every feedback interval.
struct NodeFeedback {
  double ttft_ms = 0;     // EWMA time to first token; 0 until the first sample
  double tpot_ms = 0;     // EWMA time per output token
  double e2e_ms = 0;      // EWMA end-to-end time
  std::int64_t samples = 0;
  double tokens_per_joule = 0;  // output tokens per joule, when power is reported
  double weight = 1.0;          // latency_weight result, normalised to the best node = 1
};

// Latency-model constants for predicting a task's time here: from the node's GPU profile
// when known (simulated nodes, or a `profile` label), else learned from feedback.
struct NodeSpeed {
  bool known = false;
  double prefill_ms_per_token = 0;   // marginal prefill cost
  double decode_step_ms = 0;         // one decode iteration at batch 1
  double decode_ms_per_sequence = 0; // extra per concurrent decoding sequence
  int max_batch = 0;
};

struct NodeView {
  NodeIndex index = 0;
  std::string id;
  std::vector<std::string> models;
  std::map<std::string, std::string> labels;
  std::vector<std::string> tenants;  // empty: every tenant may use it

  bool healthy = true;
  bool draining = false;
  // Slow start: the share of its normal traffic a node that just (re)joined may take,
  // rising from monitor.slow-start.min-weight to 1 over the window (filter `slow_start`).
  double warmup = 1.0;
  int capacity = 0;                   // max tasks in flight from this gateway; 0: no bound
  int in_flight = 0;                  // dispatched and not finished
  std::int64_t in_flight_tokens = 0;  // input + expected output tokens of those tasks
  int in_flight_interactive = 0;      // of which interactive (batch-lane reserve)

  NodeMetrics metrics;
  NodeFeedback feedback;
  NodeSpeed speed;

  bool serves(const std::string& model) const {
    for (const auto& m : models) {
      if (m == model) return true;
    }
    return false;
  }
};

}  // namespace autoglm::core
