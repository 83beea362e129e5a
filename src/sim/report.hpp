// Reports: what one simulated run of a policy measured (latency percentiles, success,
// goodput, utilisation, cache hits, balance), and a comparison of policies on a scenario,
// rendered as a terminal table, JSON, CSV or Markdown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/simulator.hpp"
#include "sim/workload.hpp"

namespace autoglm::sim {

struct LatencyStats {
  double mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0;
  std::size_t samples = 0;
};

// Nearest-rank percentiles of `values` (reordered). All zero when empty.
LatencyStats latency_stats(std::vector<double>& values);

struct NodeReport {
  std::string id;
  std::string profile;
  std::uint64_t requests = 0;  // placements
  double gpu_util = 0;         // busy share while load was offered
  std::int64_t preemptions = 0;
  double mean_ttft_ms = 0;     // of the successful requests it served
  double mean_e2e_ms = 0;
};

struct PolicyReport {
  std::string policy;
  std::uint64_t requests = 0;
  std::uint64_t succeeded = 0, shed = 0, timed_out = 0, failed = 0;
  double success_rate = 0;       // succeeded / requests
  // Over successful requests: arrival to first token, time per output token after the
  // first (requests with more than one output token), arrival to last token.
  LatencyStats ttft, tpot, e2e;
  double duration_s = 0;         // first arrival to last end
  double goodput_rps = 0;        // successful requests per second of duration
  double goodput_tokens_per_s = 0;  // their output tokens per second
  // Mean over nodes of the share of time spent in iterations while load was offered, from
  // the first arrival to the last (the drain after it, often one long request, would
  // dilute it). The whole span when all requests arrive at once.
  double gpu_util = 0;
  // The same, each node weighted by its peak throughput: an idle H100 counts for more
  // than an idle L4.
  double gpu_util_weighted = 0;
  double cache_hit_rate = 0;     // prompt tokens served from prefix caches / prompt tokens placed
  double load_cv = 0;            // coefficient of variation of requests placed per node
  std::int64_t preemptions = 0;  // engines' recompute preemptions
  std::uint64_t scheduler_preemptions = 0;  // running batch work cancelled for critical work
  std::uint64_t too_long = 0;    // requests a node could never hold (counted in failed)
  std::uint64_t events = 0;
  std::vector<NodeReport> nodes;
};

PolicyReport summarize(const Workload& workload, const SimulationResult& result);

struct ScenarioReport {
  std::string scenario;
  std::string workload;  // Workload::description
  std::vector<PolicyReport> policies;
};

enum class ReportFormat { kTable, kJson, kCsv, kMarkdown, kSeedTable };
std::optional<ReportFormat> report_format_from_name(std::string_view name);

// JSON: {"scenario": name, "workload": ..., "policies": {"<policy>": {"mean_e2e_ms": ...,
// "p99_ttft_ms": ..., "success_rate": 0.923, "gpu_util": 0.61, ..., "nodes": [...]}}}.
std::string render_report(const ScenarioReport& report, ReportFormat format);

}  // namespace autoglm::sim
