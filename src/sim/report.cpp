#include "sim/report.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace autoglm::sim {

LatencyStats latency_stats(std::vector<double>& values) {
  LatencyStats s;
  s.samples = values.size();
  if (values.empty()) return s;
  s.mean_ms = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
  std::sort(values.begin(), values.end());
  const auto rank = [&](double q) {
    const auto k = static_cast<std::size_t>(std::ceil(q * double(values.size())));
    return values[std::clamp<std::size_t>(k, 1, values.size()) - 1];
  };
  s.p50_ms = rank(0.50);
  s.p90_ms = rank(0.90);
  s.p99_ms = rank(0.99);
  return s;
}

PolicyReport summarize(const Workload& workload, const SimulationResult& result) {
  PolicyReport r;
  r.policy = result.policy;
  r.requests = result.requests.size();
  std::vector<double> ttft, tpot, e2e;
  std::vector<double> node_ttft(result.nodes.size()), node_e2e(result.nodes.size());
  std::vector<std::size_t> node_ok(result.nodes.size());
  double tokens = 0;
  for (std::size_t i = 0; i < result.requests.size(); ++i) {
    const RequestResult& q = result.requests[i];
    switch (q.outcome) {
      case Outcome::kSuccess: {
        ++r.succeeded;
        const double e = core::to_ms(q.e2e), t = core::to_ms(q.ttft);
        const std::int64_t out = workload.requests[i].output_tokens;
        e2e.push_back(e);
        ttft.push_back(t);
        if (out > 1) tpot.push_back((e - t) / double(out - 1));
        tokens += double(out);
        if (q.node < result.nodes.size()) {
          node_ttft[q.node] += t;
          node_e2e[q.node] += e;
          ++node_ok[q.node];
        }
        break;
      }
      case Outcome::kShed: ++r.shed; break;
      case Outcome::kTimeout: ++r.timed_out; break;
      case Outcome::kFailed: ++r.failed; break;
      case Outcome::kPending: break;
    }
  }
  r.success_rate = r.requests ? double(r.succeeded) / double(r.requests) : 0;
  r.ttft = latency_stats(ttft);
  r.tpot = latency_stats(tpot);
  r.e2e = latency_stats(e2e);
  r.duration_s = std::max(0.0, core::to_ms(result.end - result.start) / 1000.0);
  if (r.duration_s > 0) {
    r.goodput_rps = double(r.succeeded) / r.duration_s;
    r.goodput_tokens_per_s = tokens / r.duration_s;
  }
  r.cache_hit_rate = result.prompt_tokens_placed > 0
                         ? double(result.cached_tokens_placed) / double(result.prompt_tokens_placed)
                         : 0;
  r.too_long = result.too_long;
  r.scheduler_preemptions = result.scheduler_preempted;
  r.events = result.events;

  const double offered_s = core::to_ms(result.last_arrival - result.start) / 1000.0;
  const bool use_offered = offered_s > 0;
  const double window_s = use_offered ? offered_s : r.duration_s;
  double util_sum = 0, weighted_sum = 0, weights = 0, mean_load = 0;
  for (std::size_t i = 0; i < result.nodes.size(); ++i) {
    const NodeResult& n = result.nodes[i];
    const double busy = use_offered ? n.busy_offered_s : n.busy_s;
    NodeReport nr{n.id, n.profile, n.placements, window_s > 0 ? std::min(1.0, busy / window_s) : 0,
                  n.preemptions};
    util_sum += nr.gpu_util;
    if (node_ok[i] > 0) {
      nr.mean_ttft_ms = node_ttft[i] / double(node_ok[i]);
      nr.mean_e2e_ms = node_e2e[i] / double(node_ok[i]);
    }
    weighted_sum += nr.gpu_util * n.peak_tokens_per_s;
    weights += n.peak_tokens_per_s;
    mean_load += double(n.placements);
    r.preemptions += n.preemptions;
    r.nodes.push_back(std::move(nr));
  }
  if (!r.nodes.empty()) {
    const double count = double(r.nodes.size());
    r.gpu_util = util_sum / count;
    r.gpu_util_weighted = weights > 0 ? weighted_sum / weights : 0;
    mean_load /= count;
    double var = 0;
    for (const NodeReport& n : r.nodes) var += (double(n.requests) - mean_load) * (double(n.requests) - mean_load);
    r.load_cv = mean_load > 0 ? std::sqrt(var / count) / mean_load : 0;
  }
  return r;
}

std::optional<ReportFormat> report_format_from_name(std::string_view name) {
  if (name == "table") return ReportFormat::kTable;
  if (name == "json") return ReportFormat::kJson;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  if (name == "seed-table") return ReportFormat::kSeedTable;
  return std::nullopt;
}

}  // namespace autoglm::sim
