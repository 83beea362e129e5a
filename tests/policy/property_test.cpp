// Property: over many random clusters (seeded), no preset ever picks a node its filters
// exclude: unhealthy, draining, wrong model or tenant, and for load-aware presets a full,
// backed-up or KV-exhausted node, or one above the CPU pause threshold.
#include <gtest/gtest.h>

#include <random>

#include "policy/fake_nodes.hpp"
#include "policy/pipeline.hpp"

namespace autoglm::policy {
namespace {

using namespace testing;

std::vector<NodeView> random_cluster(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int n = 1 + static_cast<int>(u(rng) * 60);
  auto nodes = make_nodes(n);
  for (auto& v : nodes) {
    v.healthy = u(rng) > 0.2;
    v.draining = u(rng) < 0.1;
    if (u(rng) < 0.2) v.models = {"other"};
    if (u(rng) < 0.15) v.tenants = {u(rng) < 0.5 ? "acme" : "globex"};
    v.capacity = u(rng) < 0.3 ? 0 : 1 + static_cast<int>(u(rng) * 16);
    v.in_flight = static_cast<int>(u(rng) * 20);
    v.in_flight_tokens = v.in_flight * 1000;
    if (u(rng) < 0.8) v.metrics.cpu_util = u(rng);
    if (u(rng) < 0.8) v.metrics.backend_waiting = static_cast<int>(u(rng) * 12);
    if (u(rng) < 0.8) v.metrics.kv_cache_usage = u(rng);
    if (u(rng) < 0.5) v.metrics.gpu_util = u(rng);
    if (u(rng) < 0.5)
      v.feedback = {.ttft_ms = 50 + 100 * u(rng),
                    .tpot_ms = 5 + 20 * u(rng),
                    .e2e_ms = 1000 + 2000 * u(rng),
                    .samples = 3,
                    .tokens_per_joule = u(rng) * 4};
    if (u(rng) < 0.5) v.speed = {true, 0.02 + 0.05 * u(rng), 7 + 5 * u(rng), 0.1, 64};
  }
  return nodes;
}

bool load_aware(const std::string& preset_name) {
  return preset_name != "round_robin" && preset_name != "random";
}

TEST(PolicyProperty, NoPresetPicksAnExcludedNode) {
  std::mt19937_64 rng(2024);
  Env env;
  const auto& t = env.thresholds;
  for (const auto& name : preset_names()) {
    auto p = std::move(build_pipeline(*preset(name))).value();
    int chosen = 0;
    for (int round = 0; round < 300; ++round) {
      const auto nodes = random_cluster(rng);
      auto task = make_task();
      task.tenant = round % 3 == 0 ? "acme" : "";
      task.prefix_hashes = {static_cast<std::uint64_t>(round % 5), 99};
      const auto d = p->choose(task, nodes, nullptr, env.ctx(), 3);
      if (!d.node) {
        EXPECT_FALSE(d.rejected_by.empty()) << name;
        continue;
      }
      ++chosen;
      const NodeView& v = nodes[*d.node];
      p->on_dispatch(task, v);
      ASSERT_TRUE(v.healthy && !v.draining) << name << " picked an unhealthy node";
      ASSERT_TRUE(v.serves("m")) << name;
      ASSERT_TRUE(v.tenants.empty() || v.tenants[0] == task.tenant) << name;
      if (!load_aware(name)) continue;
      ASSERT_TRUE(v.capacity == 0 || v.in_flight < v.capacity) << name << " picked a full node";
      ASSERT_LE(v.metrics.backend_waiting, t.max_backend_waiting) << name;
      ASSERT_LE(v.metrics.kv_cache_usage, t.max_kv_cache_usage) << name;
      ASSERT_LE(v.metrics.cpu_util, t.cpu_pause) << name << " picked a node over the CPU pause";
    }
    EXPECT_GT(chosen, 30) << name << " should place work in most random clusters";
  }
}

}  // namespace
}  // namespace autoglm::policy
