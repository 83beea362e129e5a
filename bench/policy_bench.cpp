// Node-choice cost per decision for every preset at 8, 64, 1000 and 10000 nodes, over node
// views with varied load, metrics, feedback and speed. Targets: p2c under 1 us at any size;
// dynamic (full scoring) under 20 us at 1000 nodes.
//   cmake --build build --target bench_policy && ./build/bench/bench_policy
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/node_view.hpp"
#include "core/task.hpp"
#include "policy/pipeline.hpp"

namespace {

using autoglm::core::NodeView;
using autoglm::core::TaskSpec;
namespace policy = autoglm::policy;

const char* const kModels[] = {"meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen3-32B",
                               "mistralai/Mistral-7B-Instruct-v0.3"};

std::vector<std::uint64_t> prefix_chain(std::uint64_t seed, int blocks) {
  std::vector<std::uint64_t> h;
  std::uint64_t x = seed;
  for (int i = 0; i < blocks; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    h.push_back(x);
  }
  return h;
}

// The nodes the scheduler core starts from: its model index's list (here every node).
std::vector<autoglm::core::NodeIndex> serving(const std::vector<NodeView>& nodes) {
  std::vector<autoglm::core::NodeIndex> v;
  for (const auto& n : nodes) {
    if (n.serves(kModels[0])) v.push_back(n.index);
  }
  return v;
}

// A cluster as monitoring would see it: ~2% unhealthy or draining, ~5% over the CPU pause,
// a few saturated, mixed A100/H100 speeds, half the nodes with feedback samples.
std::vector<NodeView> make_nodes(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<NodeView> nodes(n);
  for (int i = 0; i < n; ++i) {
    NodeView& v = nodes[i];
    v.index = static_cast<autoglm::core::NodeIndex>(i);
    v.id = "gpu-node-" + std::to_string(i);
    // Every node serves the benchmark's model (one pool: the most work per decision); a
    // quarter list another model first, a quarter after it.
    v.models = {kModels[0]};
    if (i % 4 == 1) v.models.insert(v.models.begin(), kModels[2]);
    if (i % 4 == 2) v.models.push_back(kModels[1]);
    v.labels = {{"gpu", i % 2 ? "h100" : "a100"}};
    if (i % 20 == 7) v.tenants = {"acme", "globex"};
    v.healthy = u(rng) > 0.01;
    v.draining = u(rng) < 0.01;
    v.capacity = 64;
    v.in_flight = static_cast<int>(u(rng) * 64);
    v.in_flight_tokens = v.in_flight * 1400;
    v.in_flight_interactive = v.in_flight / 2;
    auto& m = v.metrics;
    m.gpu_util = u(rng);
    m.gpu_mem_total = 80e9;
    m.gpu_mem_used = u(rng) * 80e9;
    m.cpu_util = u(rng) < 0.05 ? 0.9 + 0.1 * u(rng) : 0.8 * u(rng);
    m.mem_util = u(rng);
    m.net_util = u(rng) * 0.5;
    m.backend_running = v.in_flight;
    m.backend_waiting = static_cast<int>(u(rng) * 10);
    m.kv_cache_usage = u(rng);
    m.power_watts = 300 + 400 * u(rng);
    if (u(rng) < 0.5) {
      v.feedback.samples = 100;
      v.feedback.ttft_ms = 50 + 200 * u(rng);
      v.feedback.tpot_ms = 8 + 20 * u(rng);
      v.feedback.e2e_ms = 2000 + 3000 * u(rng);
      v.feedback.tokens_per_joule = 1 + 3 * u(rng);
    }
    if (u(rng) < 0.5) {
      const bool h100 = i % 2;
      v.speed = {true, h100 ? 0.022 : 0.0671, h100 ? 7.1 : 11.9, h100 ? 0.08 : 0.14, 256};
    }
  }
  return nodes;
}

TaskSpec make_task() {
  TaskSpec t;
  t.id = 1;
  t.model = kModels[0];
  t.input_tokens = 1200;
  t.max_output_tokens = 200;
  t.prefix_hashes = prefix_chain(42, 8);  // 8 shared blocks (a system prompt + history)
  return t;
}

void warm_prefixes(policy::Pipeline& p, const std::vector<NodeView>& nodes) {
  // A few thousand earlier dispatches with 64 distinct prefix families.
  TaskSpec t = make_task();
  for (int i = 0; i < 4000; ++i) {
    t.prefix_hashes = prefix_chain(static_cast<std::uint64_t>(i % 64), 8 + i % 8);
    p.on_dispatch(t, nodes[(static_cast<std::size_t>(i) * 7919) % nodes.size()]);
  }
}

// `model_indexed`: the caller says its starting list comes from a per-model node index
// (Context::eligible_serve_model), so serves_model need not compare names.
void BM_Choose(benchmark::State& state, const char* preset, bool model_indexed) {
  const auto nodes = make_nodes(static_cast<int>(state.range(0)), 7);
  auto pipeline = std::move(policy::build_pipeline(*policy::preset(preset))).value();
  warm_prefixes(*pipeline, nodes);
  const auto eligible = serving(nodes);
  const TaskSpec task = make_task();
  const policy::Thresholds thresholds;
  policy::Rng rng(1);
  policy::Context ctx{autoglm::core::Time{0}, &thresholds, &rng};
  ctx.eligible_serve_model = model_indexed;
  policy::Decision d;  // kept across calls, as the scheduler core does
  for (auto _ : state) {
    pipeline->choose_into(d, task, nodes, &eligible, ctx, 3);
    benchmark::DoNotOptimize(d.node);
  }
}

// With --benchmark_repetitions=N the "min" row is the least disturbed run (useful on shared
// machines, where other processes only ever add time).
double fastest(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

#define POLICY_BENCH(name)                         \
  BENCHMARK_CAPTURE(BM_Choose, name, #name, false) \
      ->Arg(8)                                     \
      ->Arg(64)                                    \
      ->Arg(1000)                                  \
      ->Arg(10000)                                 \
      ->ComputeStatistics("min", fastest)

POLICY_BENCH(round_robin);
POLICY_BENCH(random);
POLICY_BENCH(least_request);
POLICY_BENCH(p2c);
POLICY_BENCH(seed_load);
POLICY_BENCH(resource);
POLICY_BENCH(latency_weighted);
POLICY_BENCH(prefix_aware);
POLICY_BENCH(slo_aware);
POLICY_BENCH(dynamic);
BENCHMARK_CAPTURE(BM_Choose, dynamic_model_indexed, "dynamic", true)
    ->Arg(8)
    ->Arg(64)
    ->Arg(1000)
    ->Arg(10000)
    ->ComputeStatistics("min", fastest);

// A placement as the scheduler makes it, plus the learning step (on_dispatch) for a stream of
// tasks from 64 prefix families; by-value choose() to show its allocation cost too.
void BM_DynamicChooseAndDispatch(benchmark::State& state) {
  const auto nodes = make_nodes(static_cast<int>(state.range(0)), 7);
  auto pipeline = std::move(policy::build_pipeline(*policy::preset("dynamic"))).value();
  warm_prefixes(*pipeline, nodes);
  const auto eligible = serving(nodes);
  std::vector<TaskSpec> tasks(64, make_task());
  for (std::size_t f = 0; f < tasks.size(); ++f) tasks[f].prefix_hashes = prefix_chain(f, 8);
  const policy::Thresholds thresholds;
  policy::Rng rng(1);
  const policy::Context ctx{autoglm::core::Time{0}, &thresholds, &rng};
  std::size_t family = 0;
  for (auto _ : state) {
    const TaskSpec& task = tasks[family++ % tasks.size()];
    auto d = pipeline->choose(task, nodes, &eligible, ctx, 3);
    if (d.node) pipeline->on_dispatch(task, nodes[*d.node]);
    benchmark::DoNotOptimize(d.node);
  }
}
BENCHMARK(BM_DynamicChooseAndDispatch)->Arg(64)->Arg(1000)->ComputeStatistics("min", fastest);

// One part alone over every node of a 1000-node pool (what each costs inside a decision).
void BM_Filter(benchmark::State& state, const char* name) {
  const auto nodes = make_nodes(1000, 7);
  auto pipeline = std::move(policy::build_pipeline({"f", {name}, {}, "max_score"})).value();
  const policy::Filter& filter = *pipeline->filters()[0];
  const auto all = serving(nodes);
  std::vector<autoglm::core::NodeIndex> c;
  const TaskSpec task = make_task();
  const policy::Thresholds thresholds;
  policy::Rng rng(1);
  const policy::Context ctx{autoglm::core::Time{0}, &thresholds, &rng};
  for (auto _ : state) {
    c.assign(all.begin(), all.end());
    filter.apply(task, nodes, c, ctx);
    benchmark::DoNotOptimize(c.data());
  }
}

void BM_Scorer(benchmark::State& state, const char* name) {
  const auto nodes = make_nodes(1000, 7);
  auto pipeline = std::move(policy::build_pipeline({"s", {}, {{name, 1}}, "max_score"})).value();
  warm_prefixes(*pipeline, nodes);
  policy::Scorer& scorer = *pipeline->mutable_scorers()[0].scorer;
  const auto all = serving(nodes);
  std::vector<double> out(all.size());
  const TaskSpec task = make_task();
  const policy::Thresholds thresholds;
  policy::Rng rng(1);
  const policy::Context ctx{autoglm::core::Time{0}, &thresholds, &rng};
  for (auto _ : state) {
    scorer.score(task, nodes, all, out, ctx);
    benchmark::DoNotOptimize(out.data());
  }
}

#define PART_BENCH(kind, name) \
  BENCHMARK_CAPTURE(BM_##kind, name, #name)->ComputeStatistics("min", fastest)

PART_BENCH(Filter, healthy);
PART_BENCH(Filter, serves_model);
PART_BENCH(Filter, tenant_allowed);
PART_BENCH(Filter, not_saturated);
PART_BENCH(Filter, below_cpu_threshold);
PART_BENCH(Filter, batch_lane);
PART_BENCH(Scorer, queue_depth);
PART_BENCH(Scorer, least_request);
PART_BENCH(Scorer, kv_cache_free);
PART_BENCH(Scorer, seed_load);
PART_BENCH(Scorer, resource);
PART_BENCH(Scorer, latency_weight);
PART_BENCH(Scorer, predicted_latency);
PART_BENCH(Scorer, prefix_affinity);
PART_BENCH(Scorer, energy);

}  // namespace

BENCHMARK_MAIN();
