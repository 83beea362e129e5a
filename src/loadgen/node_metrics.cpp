#include "loadgen/node_metrics.hpp"

#include <algorithm>

#include "monitor/prometheus_text.hpp"

namespace autoglm::loadgen {

std::optional<NodeSample> read_node_sample(std::string_view prometheus_text) {
  const monitor::Exposition page = monitor::parse_prometheus_text(prometheus_text);
  bool any = false;
  NodeSample s;
  for (const auto* m : page.find("vllm:num_requests_running")) {
    s.running += m->value;
    any = true;
  }
  for (const auto* m : page.find("vllm:num_requests_waiting")) {
    s.waiting += m->value;
    any = true;
  }
  for (const auto* m : page.find("vllm:gpu_cache_usage_perc")) {
    s.kv_usage = std::max(s.kv_usage, m->value);
    any = true;
  }
  if (!any) return std::nullopt;
  return s;
}

NodeSummary summarize_node(std::string url, const std::vector<NodeSample>& samples,
                           std::size_t failures) {
  NodeSummary out;
  out.url = std::move(url);
  out.samples = samples.size();
  out.failures = failures;
  if (samples.empty()) return out;
  double busy = 0;
  for (const auto& s : samples) {
    busy += s.running > 0 ? 1 : 0;
    out.mean_running += s.running;
    out.mean_waiting += s.waiting;
    out.mean_kv_usage += s.kv_usage;
  }
  const double n = double(samples.size());
  out.busy_share = busy / n;
  out.mean_running /= n;
  out.mean_waiting /= n;
  out.mean_kv_usage /= n;
  return out;
}

}  // namespace autoglm::loadgen
