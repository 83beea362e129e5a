#include "policy/pipeline.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/fake_nodes.hpp"
#include "policy/filters/healthy.hpp"
#include "policy/pickers/p2c.hpp"
#include "policy/scorers/least_request.hpp"

namespace autoglm::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing;

std::unique_ptr<Pipeline> build(PipelineSpec spec) {
  auto p = build_pipeline(spec);
  EXPECT_TRUE(p.is_ok()) << p.status().message();
  return std::move(p).value();
}

TEST(Pipeline, PicksTheBestWeightedScore) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].in_flight = 8;
  nodes[1].in_flight = 2;
  nodes[2].in_flight = 5;
  auto p = build({"lr", {"healthy"}, {{"least_request", 1}}, "max_score"});
  EXPECT_EQ(p->choose(make_task(), nodes, nullptr, env.ctx()).node, 1u);
}

TEST(Pipeline, WeightsDecideBetweenScorers) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].in_flight = 10;  // busy, but plenty of KV room
  nodes[0].metrics.kv_cache_usage = 0.0;
  nodes[1].in_flight = 0;  // idle, KV nearly full
  nodes[1].metrics.kv_cache_usage = 0.9;
  auto load_first = build({"a", {}, {{"least_request", 3}, {"kv_cache_free", 1}}, "max_score"});
  auto kv_first = build({"b", {}, {{"least_request", 1}, {"kv_cache_free", 3}}, "max_score"});
  EXPECT_EQ(load_first->choose(make_task(), nodes, nullptr, env.ctx()).node, 1u);
  EXPECT_EQ(kv_first->choose(make_task(), nodes, nullptr, env.ctx()).node, 0u);
}

TEST(Pipeline, NamesTheFilterThatRejectedEveryNode) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[1].healthy = false;
  nodes[2].healthy = false;
  nodes[0].models = {"other"};
  auto p = build({"x", {"healthy", "serves_model", "tenant_allowed"}, {}, "max_score"});
  const auto d = p->choose(make_task(), nodes, nullptr, env.ctx());
  EXPECT_FALSE(d.node.has_value());
  EXPECT_EQ(d.rejected_by, "serves_model");
  EXPECT_EQ(d.policy, "x");
}

TEST(Pipeline, RejectionIsReportedAcrossLargeClusters) {
  Env env;
  auto nodes = make_nodes(300);  // several filter slices
  for (auto& n : nodes) n.healthy = false;
  nodes[250].healthy = true;
  nodes[250].models = {"other"};
  auto p = build({"x", {"healthy", "serves_model"}, {}, "max_score"});
  EXPECT_EQ(p->choose(make_task(), nodes, nullptr, env.ctx()).rejected_by, "serves_model");
  nodes[250].healthy = false;
  EXPECT_EQ(p->choose(make_task(), nodes, nullptr, env.ctx()).rejected_by, "healthy");
}

TEST(Pipeline, EmptyClusterChoosesNothing) {
  Env env;
  std::vector<NodeView> none;
  auto p = build(*preset("dynamic"));
  const auto d = p->choose(make_task(), none, nullptr, env.ctx());
  EXPECT_FALSE(d.node.has_value());
  EXPECT_EQ(d.rejected_by, "");
}

TEST(Pipeline, ModelIndexHintCountsOnlyWithAnEligibleList) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].models = {"other"};
  auto p = build({"x", {"serves_model"}, {}, "max_score"});
  Context ctx = env.ctx();
  ctx.eligible_serve_model = true;
  // Starting from all nodes the hint is ignored: node 0 is still filtered out.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(p->choose(make_task(), nodes, nullptr, ctx).node, 1u);
}

TEST(Pipeline, StartsFromTheEligibleList) {
  Env env;
  auto nodes = make_nodes(4);
  nodes[3].in_flight = 100;
  const std::vector<NodeIndex> eligible{3};
  auto p = build({"lr", {"healthy"}, {{"least_request", 1}}, "max_score"});
  EXPECT_EQ(p->choose(make_task(), nodes, &eligible, env.ctx()).node, 3u);
}

TEST(Pipeline, ExplainsTheTopCandidatesBestFirst) {
  Env env;
  auto nodes = make_nodes(4);
  nodes[0].in_flight = 4;
  nodes[1].in_flight = 0;
  nodes[2].in_flight = 2;
  nodes[3].in_flight = 3;
  auto p = build({"lr", {}, {{"least_request", 2}}, "max_score"});
  const auto d = p->choose(make_task(), nodes, nullptr, env.ctx(), 3);
  ASSERT_EQ(d.top.size(), 3u);
  EXPECT_EQ(d.top[0].node, 1u);
  EXPECT_EQ(d.top[1].node, 2u);
  EXPECT_EQ(d.top[2].node, 3u);
  EXPECT_DOUBLE_EQ(d.top[0].score, 1.0);  // totals are normalised by the weights
  EXPECT_DOUBLE_EQ(d.top[1].score, 0.5);
  EXPECT_EQ(p->choose(make_task(), nodes, nullptr, env.ctx(), 0).top.size(), 0u);
}

TEST(Pipeline, ExplainsLongListsInOrderToo) {
  Env env;
  auto nodes = make_nodes(30);
  for (auto& n : nodes) n.in_flight = static_cast<int>((n.index * 7) % 30);
  auto p = build({"lr", {}, {{"least_request", 1}}, "max_score"});
  for (const int n : {3, 20, 100}) {
    const auto d = p->choose(make_task(), nodes, nullptr, env.ctx(), n);
    ASSERT_EQ(d.top.size(), std::min<std::size_t>(n, 30));
    for (std::size_t i = 1; i < d.top.size(); ++i) {
      EXPECT_LT(nodes[d.top[i - 1].node].in_flight, nodes[d.top[i].node].in_flight);
    }
  }
}

TEST(Pipeline, ScoreAllRanksEveryNodeThatPassesTheFilters) {
  Env env;
  auto nodes = make_nodes(4);
  nodes[0].in_flight = 4;
  nodes[1].healthy = false;
  nodes[2].in_flight = 2;
  auto p = build({"p", {"healthy"}, {{"least_request", 1}}, "p2c"});  // no sampling here
  std::vector<Candidate> all;
  p->score_all(make_task(), nodes, nullptr, env.ctx(), all);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].node, 0u);
  EXPECT_DOUBLE_EQ(all[0].score, 0.0);
  EXPECT_EQ(all[1].node, 2u);
  EXPECT_DOUBLE_EQ(all[1].score, 0.5);
  EXPECT_EQ(all[2].node, 3u);
  EXPECT_DOUBLE_EQ(all[2].score, 1.0);
}

TEST(Pipeline, ChooseIntoReusesTheDecision) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].healthy = false;
  auto p = build({"x", {"healthy"}, {}, "max_score"});
  Decision d;
  d.rejected_by = "stale";
  p->choose_into(d, make_task(), nodes, nullptr, env.ctx(), 2);
  EXPECT_EQ(d.node, 1u);
  EXPECT_EQ(d.rejected_by, "");
  EXPECT_EQ(d.top.size(), 1u);
}

TEST(Pipeline, DescribesItsParts) {
  auto p = build({"mine",
                  {"healthy", "serves_model"},
                  {{"queue_depth", 1}, {"kv_cache_free", 0.5}},
                  "max_score"});
  EXPECT_EQ(p->describe(),
            "filters: healthy, serves_model | scorers: queue_depth*1, kv_cache_free*0.5 | "
            "picker: max_score");
  auto rr = build(*preset("round_robin"));
  EXPECT_EQ(rr->describe(),
            "filters: healthy, serves_model, tenant_allowed, slow_start | scorers: none | picker: "
            "round_robin");
}

TEST(Pipeline, WorksWithAnEmptyContext) {
  auto nodes = make_nodes(3);
  nodes[0].metrics.cpu_util = 0.99;  // over the default CPU pause
  auto p = build(*preset("least_request"));
  const auto d = p->choose(make_task(), nodes, nullptr, Context{});
  ASSERT_TRUE(d.node.has_value());
  EXPECT_NE(*d.node, 0u);
}

TEST(Pipeline, LearnsPrefixesFromDispatches) {
  Env env;
  auto nodes = make_nodes(4);
  auto p = build(*preset("prefix_aware"));
  auto task = make_task();
  task.prefix_hashes = {11, 12, 13, 14};
  p->on_dispatch(task, nodes[2]);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p->choose(task, nodes, nullptr, env.ctx()).node, 2u);
  p->on_node_reset(2);
  nodes[3].in_flight = 0;
  nodes[0].in_flight = nodes[1].in_flight = nodes[2].in_flight = 1;
  EXPECT_EQ(p->choose(task, nodes, nullptr, env.ctx()).node, 3u);  // forgotten: least loaded
}

// A filter that counts how it is called, to see what p2c touches.
class CountingFilter final : public Filter {
 public:
  std::string_view name() const override { return "counting"; }
  void apply(const TaskSpec& t, std::span<const NodeView> nodes, std::vector<NodeIndex>& c,
             const Context& ctx) const override {
    applied += c.size();
    HealthyFilter{}.apply(t, nodes, c, ctx);
  }
  bool allows(const TaskSpec& t, const NodeView& n, const Context& ctx) const override {
    ++tested;
    return HealthyFilter{}.allows(t, n, ctx);
  }
  mutable std::size_t applied = 0;
  mutable std::size_t tested = 0;
};

// A p2c pipeline over least_request whose only filter is a CountingFilter.
std::unique_ptr<Pipeline> p2c_with(CountingFilter*& counter) {
  auto f = std::make_unique<CountingFilter>();
  counter = f.get();
  std::vector<std::unique_ptr<Filter>> filters;
  filters.push_back(std::move(f));
  std::vector<WeightedScorer> scorers;
  scorers.push_back({std::make_unique<LeastRequestScorer>(), 1.0});
  return std::make_unique<Pipeline>("p", std::move(filters), std::move(scorers),
                                    std::make_unique<P2cPicker>());
}

TEST(Pipeline, P2cTestsOnlyTheSampledNodes) {
  Env env;
  auto nodes = make_nodes(10000);
  CountingFilter* counter = nullptr;
  auto p = p2c_with(counter);
  const auto d = p->choose(make_task(), nodes, nullptr, env.ctx(), 5);
  ASSERT_TRUE(d.node.has_value());
  EXPECT_EQ(counter->applied, 0u);
  EXPECT_LE(counter->tested, 2u);
  EXPECT_EQ(d.top.size(), 2u);  // only the two sampled nodes were scored
  EXPECT_NE(d.top[0].node, d.top[1].node);
}

TEST(Pipeline, P2cPicksTheBetterOfTheTwoSampled) {
  Env env;
  auto nodes = make_nodes(50);
  for (auto& n : nodes) n.in_flight = static_cast<int>(n.index % 7);
  auto p = build(*preset("p2c"));
  for (int i = 0; i < 200; ++i) {
    const auto d = p->choose(make_task(), nodes, nullptr, env.ctx(), 2);
    ASSERT_EQ(d.top.size(), 2u);
    const int a = nodes[d.top[0].node].in_flight;
    const int b = nodes[d.top[1].node].in_flight;
    EXPECT_EQ(nodes[*d.node].in_flight, std::min(a, b));  // ties may go either way
  }
}

TEST(Pipeline, P2cFallsBackToFilteringWhenSamplesKeepFailing) {
  Env env;
  auto nodes = make_nodes(1000);
  for (auto& n : nodes) n.healthy = false;
  nodes[777].healthy = true;  // one node in a thousand passes
  CountingFilter* counter = nullptr;
  auto p = p2c_with(counter);
  EXPECT_EQ(p->choose(make_task(), nodes, nullptr, env.ctx()).node, 777u);
  EXPECT_EQ(counter->applied, 1000u);
}

}  // namespace
}  // namespace autoglm::policy
