// What an inference backend says about its own load, read from its Prometheus /metrics:
// vLLM (V0 and V1 names), SGLang, llama.cpp's server and our simnode (vLLM's names plus
// its simulated GPU memory), detected by name.
// Pure functions; the scraper (gateway) and the agent both call them.
#pragma once

#include <string>
#include <string_view>

#include "core/node_view.hpp"
#include "monitor/prometheus_text.hpp"

namespace autoglm::monitor {

enum class BackendFlavour { kUnknown, kVllm, kSglang, kLlamaCpp, kSimnode };

std::string_view flavour_name(BackendFlavour flavour);    // "vllm", "sglang", "llamacpp"...
BackendFlavour flavour_from_name(std::string_view name);  // kUnknown for anything else

// A negative number means "this backend did not report it": never a made-up zero.
struct BackendMetrics {
  BackendFlavour flavour = BackendFlavour::kUnknown;
  int running = -1;                     // requests in the running batch
  int waiting = -1;                     // requests queued in the engine
  double kv_cache_usage = -1;           // 0..1
  double prefix_cache_hit_rate = -1;    // 0..1 (cumulative where only counters exist)
  double prompt_tokens_total = -1;      // counter
  double generation_tokens_total = -1;  // counter
  double preemptions_total = -1;        // counter (vLLM)
  double generation_tokens_per_s = -1;  // as the backend computes it (SGLang, llama.cpp)
  // GPU memory over the node's GPUs, in bytes: only a simnode reports it on this page
  // (real backends leave it to NVML, which an agent reads).
  double gpu_mem_used_bytes = -1;
  double gpu_mem_total_bytes = -1;

  bool any() const { return running >= 0 || waiting >= 0 || kv_cache_usage >= 0; }
};

// Which backend wrote this page. `server_header` is the HTTP Server header of the answer
// when known: our simnode answers "autoglm" and speaks vLLM's metric names.
BackendFlavour detect_flavour(const Exposition& exposition, std::string_view server_header = {});

// Reads the load numbers of the detected flavour. Series of the same metric (several
// models, data-parallel engines) are summed for counts and averaged for ratios; series
// that differ only by a tensor/pipeline rank label are one engine and are not summed.
BackendMetrics extract_backend_metrics(const Exposition& exposition,
                                       std::string_view server_header = {});

// parse_prometheus_text + extract_backend_metrics.
BackendMetrics parse_backend_metrics(std::string_view text, std::string_view server_header = {});

// Copies the reported numbers into the scheduler's view; fields not reported are left as
// they were (an agent may have filled them). Sets updated_at to `now`.
void apply_backend_metrics(const BackendMetrics& backend, core::Time now,
                           core::NodeMetrics& metrics);

}  // namespace autoglm::monitor
