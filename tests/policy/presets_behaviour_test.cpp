// What the composite presets do on small clusters, one expectation each.
#include <gtest/gtest.h>

#include "policy/fake_nodes.hpp"
#include "policy/pipeline.hpp"

namespace autoglm::policy {
namespace {

using namespace testing;

std::unique_ptr<Pipeline> preset_pipeline(const std::string& name) {
  return std::move(build_pipeline(*preset(name))).value();
}

core::NodeSpeed a100() { return {true, 0.0671, 11.9, 0.14, 256}; }
core::NodeSpeed h100() { return {true, 0.022, 7.1, 0.08, 256}; }

TaskSpec prefixed_task() {
  auto t = make_task();
  t.prefix_hashes = {101, 102, 103, 104};
  return t;
}

TEST(DynamicPreset, FollowsTheCachedPrefixWhileLoadsAreClose) {
  Env env;
  auto nodes = make_nodes(4);
  for (auto& n : nodes) {
    n.speed = a100();
    n.in_flight = 6;
  }
  nodes[2].in_flight = 12;  // busier, but within the balance guard's slack
  auto p = preset_pipeline("dynamic");
  p->on_dispatch(prefixed_task(), nodes[2]);
  EXPECT_EQ(p->choose(prefixed_task(), nodes, nullptr, env.ctx()).node, 2u);
}

TEST(DynamicPreset, LeavesTheCachedPrefixWhenItsNodeIsOverloaded) {
  Env env;
  auto nodes = make_nodes(4);
  for (auto& n : nodes) {
    n.speed = a100();
    n.in_flight = 2;
  }
  nodes[2].in_flight = 30;
  auto p = preset_pipeline("dynamic");
  p->on_dispatch(prefixed_task(), nodes[2]);
  EXPECT_NE(p->choose(prefixed_task(), nodes, nullptr, env.ctx()).node, 2u);
}

TEST(DynamicPreset, PrefersTheFasterGpuAtEqualLoad) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].speed = a100();
  nodes[1].speed = h100();
  EXPECT_EQ(preset_pipeline("dynamic")->choose(make_task(), nodes, nullptr, env.ctx()).node, 1u);
}

TEST(DynamicPreset, KeepsBatchWorkOutOfTheInteractiveReserve) {
  Env env;
  auto nodes = make_nodes(2);
  for (auto& n : nodes) n.capacity = 10;
  nodes[0].in_flight = 1;
  nodes[1].in_flight = 9;  // inside the 20% reserve
  auto batch = make_task();
  batch.latency = core::LatencyClass::kBatch;
  auto p = preset_pipeline("dynamic");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(p->choose(batch, nodes, nullptr, env.ctx()).node, 0u);
  nodes[0].in_flight = 8;
  const auto d = p->choose(batch, nodes, nullptr, env.ctx());
  EXPECT_FALSE(d.node.has_value());
  EXPECT_EQ(d.rejected_by, "batch_lane");
}

TEST(SloAwarePreset, PrefersTheLowerPredictedLatency) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].speed = h100();
  nodes[0].speed.max_batch = 4;
  nodes[0].in_flight = 20;  // fast GPU, long wait for a batch slot
  nodes[0].in_flight_tokens = 20 * 1100;
  nodes[1].speed = a100();  // slower GPU, idle
  EXPECT_EQ(preset_pipeline("slo_aware")->choose(make_task(), nodes, nullptr, env.ctx()).node, 1u);
}

TEST(RoundRobinPreset, VisitsEveryHealthyNodeInTurn) {
  Env env;
  auto nodes = make_nodes(4);
  nodes[1].healthy = false;
  auto p = preset_pipeline("round_robin");
  std::vector<NodeIndex> order;
  for (int i = 0; i < 6; ++i)
    order.push_back(*p->choose(make_task(), nodes, nullptr, env.ctx()).node);
  EXPECT_EQ(order, (std::vector<NodeIndex>{0, 2, 3, 0, 2, 3}));
}

TEST(RandomPreset, SpreadsOverTheNodes) {
  Env env;
  auto nodes = make_nodes(4);
  auto p = preset_pipeline("random");
  std::vector<int> picks(4);
  for (int i = 0; i < 4000; ++i) ++picks[*p->choose(make_task(), nodes, nullptr, env.ctx()).node];
  for (int n : picks) EXPECT_NEAR(n / 4000.0, 0.25, 0.04);
}

TEST(LeastRequestPreset, SharesLoadAmongEquallyLoadedNodes) {
  Env env;
  auto nodes = make_nodes(3);
  auto p = preset_pipeline("least_request");
  std::vector<int> picks(3);
  for (int i = 0; i < 300; ++i) ++picks[*p->choose(make_task(), nodes, nullptr, env.ctx()).node];
  for (int n : picks) EXPECT_GT(n, 60);  // ties are drawn, not always the first node
}

}  // namespace
}  // namespace autoglm::policy
