#include "loadgen/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace autoglm::loadgen {

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - double(lo));
}

Distribution describe(std::vector<double> samples) {
  Distribution d;
  if (samples.empty()) return d;
  std::sort(samples.begin(), samples.end());
  d.count = samples.size();
  d.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / double(samples.size());
  d.min = samples.front();
  d.max = samples.back();
  d.p50 = quantile(samples, 0.50);
  d.p90 = quantile(samples, 0.90);
  d.p99 = quantile(samples, 0.99);
  return d;
}

RunSummary summarize(const std::vector<RequestResult>& results) {
  RunSummary s;
  s.sent = results.size();
  std::vector<double> ttft, tpot, e2e, lag;
  double first_send = std::numeric_limits<double>::infinity();
  double last_finish = 0;
  std::int64_t output_tokens = 0;
  for (const auto& r : results) {
    if (r.warmup) continue;
    ++s.measured;
    lag.push_back(r.start_lag_ms);
    first_send = std::min(first_send, r.scheduled_s + r.start_lag_ms / 1000);
    last_finish = std::max(last_finish, r.finished_s);
    if (!r.ok) {
      ++s.errors[r.error.empty() ? "unknown" : r.error];
      continue;
    }
    ++s.succeeded;
    output_tokens += r.output_tokens;
    e2e.push_back(r.e2e_ms);
    if (r.ttft_ms >= 0) {
      ttft.push_back(r.ttft_ms);
      if (r.output_tokens > 1) tpot.push_back((r.e2e_ms - r.ttft_ms) / double(r.output_tokens - 1));
    }
  }
  if (s.measured > 0) {
    s.success_rate = double(s.succeeded) / double(s.measured);
    s.duration_s = std::max(0.0, last_finish - first_send);
  }
  if (s.duration_s > 0) {
    s.request_throughput = double(s.succeeded) / s.duration_s;
    s.output_token_throughput = double(output_tokens) / s.duration_s;
  }
  s.ttft_ms = describe(std::move(ttft));
  s.tpot_ms = describe(std::move(tpot));
  s.e2e_ms = describe(std::move(e2e));
  s.start_lag_ms = describe(std::move(lag));
  return s;
}

}  // namespace autoglm::loadgen
