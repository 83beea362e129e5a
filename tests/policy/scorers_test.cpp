#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/fake_nodes.hpp"
#include "policy/scorers/energy.hpp"
#include "policy/scorers/kv_cache_free.hpp"
#include "policy/scorers/latency_weight.hpp"
#include "policy/scorers/least_request.hpp"
#include "policy/scorers/predicted_latency.hpp"
#include "policy/scorers/queue_depth.hpp"
#include "policy/scorers/resource.hpp"
#include "policy/scorers/seed_load.hpp"

namespace autoglm::policy {
namespace {

using ::testing::DoubleEq;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using namespace testing;

TEST(SeedLoadScorer, FollowsTheSeedFormula) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].metrics.gpu_util = 0.9;
  nodes[0].metrics.gpu_mem_used = 70;
  nodes[0].metrics.gpu_mem_total = 80;
  nodes[1].metrics.gpu_util = 0.2;
  nodes[1].metrics.gpu_mem_used = 20;
  nodes[1].metrics.gpu_mem_total = 80;
  // nodes[2]: nothing reported -> neutral
  SeedLoadScorer s;
  EXPECT_THAT(scores(s, make_task(), nodes, env),
              ElementsAre(DoubleNear(1 - (0.6 * 0.9 + 0.4 * 70 / 80.0), 1e-12),
                          DoubleNear(1 - (0.6 * 0.2 + 0.4 * 20 / 80.0), 1e-12), DoubleEq(0.5)));
}

TEST(ResourceScorer, FollowsTheSeedFormula) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].metrics.cpu_util = 0.5;
  nodes[0].metrics.mem_util = 0.5;
  nodes[0].metrics.net_util = 0.5;
  nodes[1].metrics.cpu_util = 0.1;
  nodes[1].metrics.mem_util = 0.2;
  nodes[1].metrics.net_util = 0.9;
  ResourceScorer s;
  EXPECT_THAT(
      scores(s, make_task(), nodes, env),
      ElementsAre(DoubleNear(0.5, 1e-12), DoubleNear(0.4 * 0.9 + 0.4 * 0.8 + 0.2 * 0.1, 1e-12),
                  DoubleNear(0.5, 1e-12)));
}

TEST(QueueDepthScorer, FewerRequestsIncludingBackendQueueIsBetter) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].in_flight = 4;
  nodes[0].metrics.backend_waiting = 4;  // load 8: the most loaded
  nodes[1].in_flight = 4;                // load 4 (waiting not reported)
  nodes[2].in_flight = 0;                // idle
  QueueDepthScorer s;
  EXPECT_THAT(scores(s, make_task(), nodes, env),
              ElementsAre(DoubleEq(0.0), DoubleEq(0.5), DoubleEq(1.0)));
}

TEST(QueueDepthScorer, AllIdleNodesScoreOne) {
  Env env;
  auto nodes = make_nodes(2);
  QueueDepthScorer s;
  EXPECT_THAT(scores(s, make_task(), nodes, env), ElementsAre(DoubleEq(1.0), DoubleEq(1.0)));
}

TEST(LeastRequestScorer, CountsOnlyWhatThisGatewayDispatched) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].in_flight = 10;
  nodes[1].in_flight = 5;
  nodes[1].metrics.backend_waiting = 100;  // ignored by least_request
  LeastRequestScorer s;
  EXPECT_THAT(scores(s, make_task(), nodes, env),
              ElementsAre(DoubleEq(0.0), DoubleEq(0.5), DoubleEq(1.0)));
}

TEST(KvCacheFreeScorer, MoreFreeCacheIsBetterAndUnknownIsNeutral) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].metrics.kv_cache_usage = 0.9;
  nodes[1].metrics.kv_cache_usage = 0.1;
  KvCacheFreeScorer s;
  EXPECT_THAT(scores(s, make_task(), nodes, env),
              ElementsAre(DoubleNear(0.1, 1e-12), DoubleNear(0.9, 1e-12), DoubleEq(0.5)));
}

TEST(LatencyWeightScorer, FollowsTheSeedFormulaInSeconds) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].feedback = {.e2e_ms = 3000, .samples = 10};  // slowest: weight (0 + 1) * 100
  nodes[1].feedback = {.e2e_ms = 2000, .samples = 10};  // weight (1 + 1) * 100 = 200
  nodes[2].feedback = {.e2e_ms = 1000, .samples = 10};  // weight (2 + 1) * 100 = 300
  LatencyWeightScorer s;
  EXPECT_THAT(
      scores(s, make_task(), nodes, env),
      ElementsAre(DoubleNear(100.0 / 300, 1e-12), DoubleNear(200.0 / 300, 1e-12), DoubleEq(1.0)));
}

TEST(LatencyWeightScorer, NodesWithoutSamplesGetTheBestWeight) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].feedback = {.e2e_ms = 5000, .samples = 3};
  LatencyWeightScorer s;
  EXPECT_THAT(scores(s, make_task(), nodes, env), ElementsAre(DoubleEq(1.0), DoubleEq(1.0)));
}

TEST(LatencyWeightScorer, WeightNeverFallsBelowTen) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].feedback = {.e2e_ms = 100, .samples = 1};    // weight (10 + 1) * 100 = 1100
  nodes[1].feedback = {.e2e_ms = 10100, .samples = 1};  // weight max(10, 100) = 100
  LatencyWeightScorer s;
  const auto out = scores(s, make_task(), nodes, env);
  EXPECT_DOUBLE_EQ(out[0], 1.0);
  EXPECT_NEAR(out[1], 100.0 / 1100, 1e-12);
}

TEST(EnergyScorer, PrefersMoreTokensPerJouleAndIsNeutralWhenUnknown) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].feedback.tokens_per_joule = 2;
  nodes[1].feedback.tokens_per_joule = 4;
  EnergyScorer s;
  EXPECT_THAT(scores(s, make_task(), nodes, env),
              ElementsAre(DoubleEq(0.5), DoubleEq(1.0), DoubleEq(0.5)));
}

core::NodeSpeed a100() { return {true, 0.0671, 11.9, 0.14, 256}; }
core::NodeSpeed h100() { return {true, 0.022, 7.1, 0.08, 256}; }

TEST(PredictedLatencyScorer, FasterGpuWinsWhenEquallyLoaded) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].speed = a100();
  nodes[1].speed = h100();
  PredictedLatencyScorer s;
  const auto out = scores(s, make_task(), nodes, env);
  EXPECT_LT(out[0], out[1]);
  EXPECT_DOUBLE_EQ(out[1], 1.0);
}

TEST(PredictedLatencyScorer, FollowsTheFormulaForAKnownSpeed) {
  auto nodes = make_nodes(1);
  nodes[0].speed = a100();
  nodes[0].in_flight = 31;        // batch of 32 with this task
  const auto task = make_task();  // 1000 in, 100 out
  const double tpot = 11.9 + 0.14 * 31;
  const double ttft = 0.0671 * 1000 + tpot;
  const double e2e = ttft + 99 * tpot;
  EXPECT_NEAR(PredictedLatencyScorer::predict_ms(task, nodes[0]), ttft + e2e, 1e-9);
  auto batch = task;
  batch.latency = core::LatencyClass::kBatch;  // batch work: e2e only
  EXPECT_NEAR(PredictedLatencyScorer::predict_ms(batch, nodes[0]), e2e, 1e-9);
}

TEST(PredictedLatencyScorer, ABusyFastNodeLosesToAnIdleSlowOne) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].speed = a100();
  nodes[1].speed = h100();
  nodes[1].speed.max_batch = 8;
  nodes[1].in_flight = 40;  // 33 tasks wait for a batch slot
  nodes[1].in_flight_tokens = 40 * 1100;
  PredictedLatencyScorer s;
  const auto out = scores(s, make_task(), nodes, env);
  EXPECT_DOUBLE_EQ(out[0], 1.0);
  EXPECT_LT(out[1], 0.5);
}

TEST(PredictedLatencyScorer, UsesFeedbackWithoutSpeedAndIsNeutralWithNeither) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].feedback = {.ttft_ms = 100, .tpot_ms = 20, .e2e_ms = 2100, .samples = 5};
  nodes[1].feedback = {.ttft_ms = 50, .tpot_ms = 10, .e2e_ms = 1050, .samples = 5};
  PredictedLatencyScorer s;
  const auto out = scores(s, make_task(), nodes, env);
  EXPECT_DOUBLE_EQ(out[1], 1.0);
  EXPECT_NEAR(out[0], 0.5, 1e-12);  // exactly twice as slow
  EXPECT_DOUBLE_EQ(out[2], 0.5);    // nothing known: neutral
}

TEST(PredictedLatencyScorer, FeedbackPredictionGrowsWithLoad) {
  auto nodes = make_nodes(2);
  for (auto& n : nodes) n.feedback = {.ttft_ms = 100, .tpot_ms = 20, .e2e_ms = 2100, .samples = 5};
  nodes[1].in_flight = 16;
  const auto task = make_task();
  EXPECT_LT(PredictedLatencyScorer::predict_ms(task, nodes[0]),
            PredictedLatencyScorer::predict_ms(task, nodes[1]));
}

}  // namespace
}  // namespace autoglm::policy
