#include "monitor/backend_metrics.hpp"

#include <array>
#include <cmath>
#include <map>
#include <set>

namespace autoglm::monitor {

namespace {

// Labels that name a shard of one engine rather than a separate engine.
constexpr std::array<std::string_view, 4> kShardLabels = {"tp_rank", "pp_rank", "moe_ep_rank",
                                                          "attn_tp_rank"};

bool is_shard_label(std::string_view key) {
  for (auto k : kShardLabels) {
    if (k == key) return true;
  }
  return false;
}

// Groups the finite samples named `name` by their labels minus shard labels, keeping the
// largest value within a group (the shards of one engine report the same queue).
std::vector<double> engine_values(const Exposition& e, std::string_view name) {
  std::map<std::vector<std::pair<std::string, std::string>>, double> groups;
  for (const Sample* s : e.find(name)) {
    if (!std::isfinite(s->value)) continue;
    std::vector<std::pair<std::string, std::string>> key;
    for (const auto& kv : s->labels) {
      if (!is_shard_label(kv.first)) key.push_back(kv);
    }
    auto [it, fresh] = groups.emplace(std::move(key), s->value);
    if (!fresh && s->value > it->second) it->second = s->value;
  }
  std::vector<double> out;
  for (const auto& [k, v] : groups) out.push_back(v);
  return out;
}

double sum_of(const Exposition& e, std::string_view name) {
  auto values = engine_values(e, name);
  if (values.empty()) return -1;
  double total = 0;
  for (double v : values) total += v;
  return total;
}

// Mean of the values in [0, 1]; a negative value is a backend's own "unknown".
double mean_ratio(const Exposition& e, std::string_view name) {
  double total = 0;
  int n = 0;
  for (double v : engine_values(e, name)) {
    if (v < 0) continue;
    total += v > 1 ? 1 : v;
    ++n;
  }
  return n == 0 ? -1 : total / n;
}

int count_of(const Exposition& e, std::string_view name) {
  double v = sum_of(e, name);
  return v < 0 ? -1 : static_cast<int>(std::lround(v));
}

double first_known(double a, double b) { return a >= 0 ? a : b; }

double hit_ratio(const Exposition& e, std::string_view hits, std::string_view queries) {
  double h = sum_of(e, hits);
  double q = sum_of(e, queries);
  if (h < 0 || q <= 0) return -1;
  return h / q;
}

bool has_prefix(const Exposition& e, std::string_view prefix) {
  for (const auto& s : e.samples) {
    if (std::string_view(s.name).substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// The metric families src/simnode/metrics_text.cpp writes; a vLLM-named page with nothing
// else is a simnode (real vLLM always adds histograms and cache_config_info).
bool only_simnode_families(const Exposition& e) {
  static const std::set<std::string_view> kSimnode = {"vllm:num_requests_running",
                                                      "vllm:num_requests_waiting",
                                                      "vllm:gpu_cache_usage_perc",
                                                      "vllm:num_preemptions_total",
                                                      "vllm:prompt_tokens_total",
                                                      "vllm:generation_tokens_total",
                                                      "vllm:request_success_total",
                                                      "autoglm_simnode_gpu_memory_used_bytes",
                                                      "autoglm_simnode_gpu_memory_total_bytes"};
  for (const auto& s : e.samples) {
    if (!kSimnode.contains(s.name)) return false;
  }
  return !e.samples.empty();
}

void read_vllm(const Exposition& e, BackendMetrics& m) {
  m.running = count_of(e, "vllm:num_requests_running");
  m.waiting = count_of(e, "vllm:num_requests_waiting");
  // V1 (0.8+) renamed gpu_cache_usage_perc to kv_cache_usage_perc; 0.10 exports both.
  m.kv_cache_usage = first_known(mean_ratio(e, "vllm:kv_cache_usage_perc"),
                                 mean_ratio(e, "vllm:gpu_cache_usage_perc"));
  m.prefix_cache_hit_rate =
      first_known(hit_ratio(e, "vllm:prefix_cache_hits_total", "vllm:prefix_cache_queries_total"),
                  mean_ratio(e, "vllm:gpu_prefix_cache_hit_rate"));
  m.prompt_tokens_total = sum_of(e, "vllm:prompt_tokens_total");
  m.generation_tokens_total = sum_of(e, "vllm:generation_tokens_total");
  m.preemptions_total = sum_of(e, "vllm:num_preemptions_total");
  m.generation_tokens_per_s = sum_of(e, "vllm:avg_generation_throughput_toks_per_s");
}

// vLLM's names, and the GPU memory only a simnode writes (src/simnode/metrics_text.cpp).
void read_simnode(const Exposition& e, BackendMetrics& m) {
  read_vllm(e, m);
  m.gpu_mem_used_bytes = sum_of(e, "autoglm_simnode_gpu_memory_used_bytes");
  m.gpu_mem_total_bytes = sum_of(e, "autoglm_simnode_gpu_memory_total_bytes");
}

void read_sglang(const Exposition& e, BackendMetrics& m) {
  m.running = count_of(e, "sglang:num_running_reqs");
  m.waiting = count_of(e, "sglang:num_queue_reqs");
  m.kv_cache_usage = mean_ratio(e, "sglang:token_usage");
  m.prefix_cache_hit_rate = mean_ratio(e, "sglang:cache_hit_rate");
  m.prompt_tokens_total = sum_of(e, "sglang:prompt_tokens_total");
  m.generation_tokens_total = sum_of(e, "sglang:generation_tokens_total");
  m.generation_tokens_per_s = sum_of(e, "sglang:gen_throughput");
}

void read_llamacpp(const Exposition& e, BackendMetrics& m) {
  m.running = count_of(e, "llamacpp:requests_processing");
  m.waiting = count_of(e, "llamacpp:requests_deferred");
  // Builds since mid-2025 dropped the KV gauges; then the usage stays unknown.
  m.kv_cache_usage = mean_ratio(e, "llamacpp:kv_cache_usage_ratio");
  m.prompt_tokens_total = sum_of(e, "llamacpp:prompt_tokens_total");
  m.generation_tokens_total = sum_of(e, "llamacpp:tokens_predicted_total");
  m.generation_tokens_per_s = sum_of(e, "llamacpp:predicted_tokens_seconds");
}

}  // namespace

std::string_view flavour_name(BackendFlavour flavour) {
  switch (flavour) {
    case BackendFlavour::kVllm:
      return "vllm";
    case BackendFlavour::kSglang:
      return "sglang";
    case BackendFlavour::kLlamaCpp:
      return "llamacpp";
    case BackendFlavour::kSimnode:
      return "simnode";
    case BackendFlavour::kUnknown:
      break;
  }
  return "unknown";
}

BackendFlavour flavour_from_name(std::string_view name) {
  for (auto f : {BackendFlavour::kVllm, BackendFlavour::kSglang, BackendFlavour::kLlamaCpp,
                 BackendFlavour::kSimnode}) {
    if (flavour_name(f) == name) return f;
  }
  return BackendFlavour::kUnknown;
}

BackendFlavour detect_flavour(const Exposition& e, std::string_view server_header) {
  if (has_prefix(e, "vllm:")) {
    if (server_header.substr(0, 7) == "autoglm" || only_simnode_families(e)) {
      return BackendFlavour::kSimnode;
    }
    return BackendFlavour::kVllm;
  }
  if (has_prefix(e, "sglang:")) return BackendFlavour::kSglang;
  if (has_prefix(e, "llamacpp:")) return BackendFlavour::kLlamaCpp;
  return BackendFlavour::kUnknown;
}

BackendMetrics extract_backend_metrics(const Exposition& e, std::string_view server_header) {
  BackendMetrics m;
  m.flavour = detect_flavour(e, server_header);
  switch (m.flavour) {
    case BackendFlavour::kVllm:
      read_vllm(e, m);
      break;
    case BackendFlavour::kSimnode:
      read_simnode(e, m);
      break;
    case BackendFlavour::kSglang:
      read_sglang(e, m);
      break;
    case BackendFlavour::kLlamaCpp:
      read_llamacpp(e, m);
      break;
    case BackendFlavour::kUnknown:
      break;
  }
  return m;
}

BackendMetrics parse_backend_metrics(std::string_view text, std::string_view server_header) {
  return extract_backend_metrics(parse_prometheus_text(text), server_header);
}

void apply_backend_metrics(const BackendMetrics& backend, core::Time now,
                           core::NodeMetrics& metrics) {
  if (backend.running >= 0) metrics.backend_running = backend.running;
  if (backend.waiting >= 0) metrics.backend_waiting = backend.waiting;
  if (backend.kv_cache_usage >= 0) metrics.kv_cache_usage = backend.kv_cache_usage;
  if (backend.gpu_mem_used_bytes >= 0 && backend.gpu_mem_total_bytes > 0) {
    metrics.gpu_mem_used = backend.gpu_mem_used_bytes;
    metrics.gpu_mem_total = backend.gpu_mem_total_bytes;
  }
  metrics.updated_at = now;
}

}  // namespace autoglm::monitor
