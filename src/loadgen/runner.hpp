// Runs a planned request stream against an OpenAI-compatible server, open loop: each
// request is sent at its planned time whether or not earlier ones have finished (unless a
// concurrency limit holds it back), streamed, and timed. All requests share one thread and
// one io_context (coroutines), so thousands of concurrent streams cost one core.
// Keep-alive connections are reused between requests.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "loadgen/node_metrics.hpp"
#include "loadgen/plan.hpp"
#include "loadgen/stats.hpp"

namespace autoglm::loadgen {

enum class Progress { kOff, kLine, kLines };  // off; one \r-rewritten line; a line every 10 s

struct RunOptions {
  std::string base_url = "http://127.0.0.1:8080";  // the server; the path is added
  std::string api_key;  // sent as "Authorization: Bearer ..." when not empty
  BodyOptions body;
  std::size_t max_concurrency = 0;            // requests in flight at most (0: no limit)
  std::chrono::milliseconds timeout{300000};  // per request, send to last byte
  std::vector<std::string> metrics_urls;      // backends' /metrics pages to sample
  std::chrono::milliseconds metrics_interval{500};
  Progress progress = Progress::kOff;
};

struct RunOutput {
  std::vector<RequestResult> results;  // in plan order
  std::vector<NodeSummary> nodes;      // one per metrics URL
  double wall_s = 0;
};

// Blocks until every request has finished or failed. Throws std::invalid_argument for a
// base URL that is not http://host:port.
RunOutput run_load(const std::vector<PlannedRequest>& plan, const RunOptions& options);

}  // namespace autoglm::loadgen
