// The cluster simulator's speed: the whole Azure conversation trace (19,366 requests) on 16
// nodes, and one million synthetic requests on 64 nodes, one core. Reports events/s.
// Run: build/bench/bench_sim (docs/simulator.md has the figures). Needs ../shared/data.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "sim/report.hpp"
#include "sim/simulator.hpp"
#include "sim/workload.hpp"

namespace {

namespace sim = autoglm::sim;
using namespace std::chrono_literals;

const std::string kSharedData =
    (std::filesystem::path(__FILE__).parent_path().parent_path() / ".." / "shared" / "data")
        .lexically_normal()
        .string();

sim::ClusterSpec cluster(const std::string& profile, int count) {
  sim::ClusterSpec c;
  const sim::GpuProfile p = sim::find_profile(profile).value();
  for (int i = 0; i < count; ++i) c.nodes.push_back({profile + "-" + std::to_string(i), p, p.model});
  return c;
}

const char* policy_name(std::int64_t i) { return i == 0 ? "round_robin" : "dynamic"; }

void run(benchmark::State& state, const sim::ClusterSpec& c, const sim::Workload& w) {
  sim::SimulationOptions options;
  options.policy = policy_name(state.range(0));
  options.client_timeout = 60s;
  std::uint64_t events = 0;
  for (auto _ : state) {
    auto result = sim::simulate(c, w, options);
    if (!result) {
      state.SkipWithError(result.status().message().c_str());
      return;
    }
    events += result->events;
    benchmark::DoNotOptimize(result->end);
  }
  state.SetLabel(options.policy);
  state.counters["requests"] = double(w.requests.size());
  state.counters["events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
}

void BM_AzureConversationOn16Nodes(benchmark::State& state) {
  static const auto workload = [] {
    sim::TraceSource t;
    t.format = sim::TraceFormat::kAzure;
    t.path = kSharedData + "/azure2023_AzureLLMInferenceTrace_conv.csv";
    sim::WorkloadSpec spec;
    spec.source = t;
    spec.model = "llama-3-8b";
    return sim::build_workload(spec, 1);
  }();
  if (!workload) {
    state.SkipWithError(workload.status().message().c_str());
    return;
  }
  run(state, cluster("a100-80gb-8b", 16), *workload);
}
BENCHMARK(BM_AzureConversationOn16Nodes)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Conversation-like lengths at about 80% of 64 A100s' capacity.
void BM_MillionRequestsOn64Nodes(benchmark::State& state) {
  static const sim::Workload workload = [] {
    sim::SyntheticSource s;
    s.arrival = {sim::ArrivalProcess::Kind::kPoisson, 350};
    s.requests = 1'000'000;
    s.input = {sim::LengthDistribution::Kind::kLognormal};
    s.input.mean = 1000;
    s.input.max = 16000;
    s.output = {sim::LengthDistribution::Kind::kLognormal};
    s.output.mean = 200;
    s.output.max = 2000;
    sim::WorkloadSpec spec;
    spec.source = s;
    spec.model = "llama-3-8b";
    return sim::build_workload(spec, 1).value();
  }();
  run(state, cluster("a100-80gb-8b", 64), workload);
}
BENCHMARK(BM_MillionRequestsOn64Nodes)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
