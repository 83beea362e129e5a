// Execution monitoring's hot path: parsing a backend's /metrics page (Prometheus text
// 0.0.4), as the gateway does for every node every scrape. Run: build/bench/bench_monitor.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <string>

#include "monitor/prometheus_text.hpp"

namespace {

namespace monitor = autoglm::monitor;

// A vLLM-like page: gauges and counters with a model label, and `histograms` latency
// histograms of 20 buckets each (vLLM exports about a dozen).
std::string vllm_page(int histograms) {
  std::string page;
  const char* gauges[] = {"vllm:num_requests_running", "vllm:num_requests_waiting",
                          "vllm:gpu_cache_usage_perc", "vllm:num_preemptions_total",
                          "vllm:prompt_tokens_total",  "vllm:generation_tokens_total"};
  for (const char* g : gauges) {
    fmt::format_to(std::back_inserter(page),
                   "# HELP {} A metric.\n# TYPE {} gauge\n{}{{model_name=\"m\"}} 12.5\n", g, g, g);
  }
  for (int h = 0; h < histograms; ++h) {
    const std::string name = fmt::format("vllm:latency_{}_seconds", h);
    fmt::format_to(std::back_inserter(page), "# HELP {} Latency.\n# TYPE {} histogram\n", name,
                   name);
    double le = 0.001;
    for (int b = 0; b < 20; ++b, le *= 2) {
      fmt::format_to(std::back_inserter(page), "{}_bucket{{model_name=\"m\",le=\"{}\"}} {}\n", name,
                     le, b * 37);
    }
    fmt::format_to(std::back_inserter(page),
                   "{}_bucket{{model_name=\"m\",le=\"+Inf\"}} 800\n{}_sum{{model_name=\"m\"}} "
                   "123.4\n{}_count{{model_name=\"m\"}} 800\n",
                   name, name, name);
  }
  return page;
}

void BM_ParsePrometheusText(benchmark::State& state) {
  const std::string page = vllm_page(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto exposition = monitor::parse_prometheus_text(page);
    benchmark::DoNotOptimize(exposition.samples.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
  state.counters["page_bytes"] = static_cast<double>(page.size());
}
// 0: the simnode's page (7 families); 12: about what vLLM serves.
BENCHMARK(BM_ParsePrometheusText)->Arg(0)->Arg(12)->Unit(benchmark::kMicrosecond);

void BM_FindGauge(benchmark::State& state) {
  const auto exposition = monitor::parse_prometheus_text(vllm_page(12));
  for (auto _ : state) {
    auto found = exposition.find("vllm:gpu_cache_usage_perc");
    benchmark::DoNotOptimize(found.data());
  }
}
BENCHMARK(BM_FindGauge);

}  // namespace

BENCHMARK_MAIN();
