#include "simnode/metrics_text.hpp"

#include <fmt/format.h>

namespace autoglm::simnode {

namespace {

void metric(std::string& out, const char* name, const char* type, const char* help,
            const std::string& labels, double value) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{}{{{}}} {}\n", name, help,
                 name, type, name, labels, value);
}

}  // namespace

std::string render_vllm_metrics(const sim::EngineStats& stats, const std::string& model,
                                const std::optional<sim::GpuMemory>& memory) {
  std::string out;
  const std::string labels = fmt::format("model_name=\"{}\"", model);
  metric(out, "vllm:num_requests_running", "gauge",
         "Number of requests in model execution batches.", labels, double(stats.running));
  metric(out, "vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.",
         labels, double(stats.waiting));
  metric(out, "vllm:gpu_cache_usage_perc", "gauge",
         "GPU KV-cache usage. 1 means 100 percent usage.", labels, stats.kv_usage());
  metric(out, "vllm:num_preemptions_total", "counter", "Cumulative number of preemptions.", labels,
         double(stats.preemptions_total));
  metric(out, "vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.", labels,
         double(stats.prompt_tokens_total));
  metric(out, "vllm:generation_tokens_total", "counter", "Number of generation tokens processed.",
         labels, double(stats.generation_tokens_total));
  metric(out, "vllm:request_success_total", "counter", "Count of successfully processed requests.",
         labels + ",finished_reason=\"length\"", double(stats.finished_total));
  if (memory) {
    metric(out, "autoglm_simnode_gpu_memory_used_bytes", "gauge",
           "GPU memory in use: model weights plus the KV cache of running sequences.", labels,
           double(memory->used_bytes));
    metric(out, "autoglm_simnode_gpu_memory_total_bytes", "gauge", "GPU memory of the node's GPUs.",
           labels, double(memory->total_bytes));
  }
  return out;
}

}  // namespace autoglm::simnode
