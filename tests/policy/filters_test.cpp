#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/fake_nodes.hpp"
#include "policy/filters/batch_lane.hpp"
#include "policy/filters/below_cpu_threshold.hpp"
#include "policy/filters/healthy.hpp"
#include "policy/filters/not_saturated.hpp"
#include "policy/filters/serves_model.hpp"
#include "policy/filters/slow_start.hpp"
#include "policy/filters/tenant_allowed.hpp"
#include "policy/pipeline.hpp"

namespace autoglm::policy {
namespace {

using ::testing::ElementsAre;
using namespace testing;

// Every filter's single-node test agrees with its batch form.
void expect_allows_matches_apply(const Filter& f, const TaskSpec& task,
                                 const std::vector<NodeView>& nodes, Env& env) {
  const auto batch = kept(f, task, nodes, env);
  std::vector<NodeIndex> single;
  for (const auto& n : nodes) {
    if (f.allows(task, n, env.ctx())) single.push_back(n.index);
  }
  EXPECT_EQ(batch, single) << f.name();
}

TEST(HealthyFilter, DropsUnhealthyAndDrainingNodes) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].healthy = false;
  nodes[2].draining = true;
  HealthyFilter f;
  EXPECT_THAT(kept(f, make_task(), nodes, env), ElementsAre(1));
  expect_allows_matches_apply(f, make_task(), nodes, env);
}

TEST(ServesModelFilter, KeepsOnlyNodesListingTheModel) {
  Env env;
  auto nodes = make_nodes(4);
  nodes[0].models = {"meta-llama/Llama-3.1-8B-Instruct"};
  nodes[1].models = {"meta-llama/Llama-3.2-8B-Instruct"};  // same length, one byte apart
  nodes[2].models = {"Qwen/Qwen3-32B", "meta-llama/Llama-3.1-8B-Instruct"};
  nodes[3].models = {"meta-llama/Llama-3.1-8B-Instruct-long-name-variant-x"};
  ServesModelFilter f;
  const auto task = make_task("meta-llama/Llama-3.1-8B-Instruct");
  EXPECT_THAT(kept(f, task, nodes, env), ElementsAre(0, 2));
  expect_allows_matches_apply(f, task, nodes, env);
}

TEST(ServesModelFilter, ComparesNamesOfEveryLength) {
  Env env;
  const std::string base = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  ServesModelFilter f;
  for (std::size_t len = 1; len <= base.size(); ++len) {
    auto nodes = make_nodes(2);
    const std::string name = base.substr(0, len);
    std::string other = name;
    other[len / 2] = '#';  // differs in the middle only
    nodes[0].models = {other};
    nodes[1].models = {name};
    EXPECT_THAT(kept(f, make_task(name), nodes, env), ElementsAre(1)) << "length " << len;
  }
}

TEST(ServesModelFilter, TaskWithoutModelGoesAnywhere) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[1].models = {"other"};
  EXPECT_THAT(kept(ServesModelFilter{}, make_task(""), nodes, env), ElementsAre(0, 1));
}

TEST(ServesModelFilter, TrustsAPerModelStartingList) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[1].models = {"other"};
  Context ctx = env.ctx();
  ctx.eligible_serve_model = true;  // the caller drew the candidates from its model index
  auto c = all_of(nodes);
  ServesModelFilter{}.apply(make_task(), nodes, c, ctx);
  EXPECT_THAT(c, ElementsAre(0, 1));
  EXPECT_TRUE(ServesModelFilter{}.allows(make_task(), nodes[1], ctx));
}

TEST(TenantAllowedFilter, HonoursTenantListsAndOpenNodes) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].tenants = {"acme"};
  nodes[1].tenants = {"globex"};
  auto task = make_task();
  task.tenant = "acme";
  TenantAllowedFilter f;
  EXPECT_THAT(kept(f, task, nodes, env), ElementsAre(0, 2));
  expect_allows_matches_apply(f, task, nodes, env);
}

TEST(NotSaturatedFilter, DropsFullNodesAndOverloadedBackends) {
  Env env;
  auto nodes = make_nodes(6);
  nodes[0].capacity = 4;
  nodes[0].in_flight = 4;  // full
  nodes[1].capacity = 4;
  nodes[1].in_flight = 3;                  // one slot left
  nodes[2].metrics.backend_waiting = 9;    // above max_backend_waiting (8)
  nodes[3].metrics.backend_waiting = 8;    // at the limit: allowed
  nodes[4].metrics.kv_cache_usage = 0.97;  // above max_kv_cache_usage (0.95)
  nodes[5].in_flight = 500;                // capacity 0: no bound
  NotSaturatedFilter f;
  EXPECT_THAT(kept(f, make_task(), nodes, env), ElementsAre(1, 3, 5));
  expect_allows_matches_apply(f, make_task(), nodes, env);
}

TEST(NotSaturatedFilter, UnreportedMetricsPass) {
  Env env;
  auto nodes = make_nodes(1);  // backend_waiting and kv_cache_usage are -1
  EXPECT_THAT(kept(NotSaturatedFilter{}, make_task(), nodes, env), ElementsAre(0));
}

TEST(BelowCpuThresholdFilter, PausesNodesAboveTheCpuThreshold) {
  Env env;
  auto nodes = make_nodes(4);
  nodes[0].metrics.cpu_util = 0.86;  // above 0.85
  nodes[1].metrics.cpu_util = 0.85;  // at the threshold: allowed
  nodes[2].metrics.cpu_util = 0.10;
  // nodes[3]: not reported
  BelowCpuThresholdFilter f;
  EXPECT_THAT(kept(f, make_task(), nodes, env), ElementsAre(1, 2, 3));
  env.thresholds.cpu_pause = 0.5;
  EXPECT_THAT(kept(f, make_task(), nodes, env), ElementsAre(2, 3));
  expect_allows_matches_apply(f, make_task(), nodes, env);
}

TEST(BatchLaneFilter, BatchWorkLeavesTheReserveForInteractiveWork) {
  Env env;  // batch_reserve 0.2: batch work only below 80% of capacity
  auto nodes = make_nodes(3);
  for (auto& n : nodes) n.capacity = 10;
  nodes[0].in_flight = 7;
  nodes[1].in_flight = 8;
  nodes[2].in_flight = 9;
  auto batch = make_task();
  batch.latency = core::LatencyClass::kBatch;
  BatchLaneFilter f;
  EXPECT_THAT(kept(f, batch, nodes, env), ElementsAre(0));
  expect_allows_matches_apply(f, batch, nodes, env);
}

TEST(BatchLaneFilter, BatchAndSheddablePriorityClassesCountAsBatchWork) {
  Env env;
  auto nodes = make_nodes(2);
  for (auto& n : nodes) n.capacity = 10;
  nodes[1].in_flight = 9;
  auto task = make_task();
  task.priority_class = core::PriorityClass::kBatch;
  EXPECT_THAT(kept(BatchLaneFilter{}, task, nodes, env), ElementsAre(0));
  task.priority_class = core::PriorityClass::kSheddable;
  EXPECT_THAT(kept(BatchLaneFilter{}, task, nodes, env), ElementsAre(0));
}

TEST(BatchLaneFilter, InteractiveWorkAlwaysPasses) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[0].capacity = 10;
  nodes[0].in_flight = 9;
  nodes[1].metrics.backend_waiting = 3;
  EXPECT_THAT(kept(BatchLaneFilter{}, make_task(), nodes, env), ElementsAre(0, 1));
}

TEST(BatchLaneFilter, UnboundedNodeTakesBatchWorkOnlyWhileNothingQueues) {
  Env env;
  auto nodes = make_nodes(3);
  nodes[0].metrics.backend_waiting = 2;
  nodes[1].metrics.backend_waiting = 0;
  // nodes[2]: not reported
  auto batch = make_task();
  batch.latency = core::LatencyClass::kBatch;
  EXPECT_THAT(kept(BatchLaneFilter{}, batch, nodes, env), ElementsAre(1, 2));
}

TEST(SlowStartFilter, AdmitsAWarmingNodeWithItsShare) {
  Env env;
  auto nodes = make_nodes(2);
  nodes[1].warmup = 0.25;
  SlowStartFilter f;
  int warm = 0;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    EXPECT_TRUE(f.allows(make_task(), nodes[0], env.ctx()));  // not ramping: always
    if (f.allows(make_task(), nodes[1], env.ctx())) ++warm;
  }
  EXPECT_NEAR(static_cast<double>(warm) / kDraws, 0.25, 0.02);
  nodes[1].warmup = 1.0;
  EXPECT_THAT(kept(f, make_task(), nodes, env), ElementsAre(0, 1));
}

TEST(SlowStartFilter, EveryPresetRampsNodesUp) {
  for (const auto& name : preset_names()) {
    const auto spec = preset(name);
    ASSERT_TRUE(spec.is_ok());
    EXPECT_THAT(spec->filters, ::testing::Contains("slow_start")) << name;
  }
}

}  // namespace
}  // namespace autoglm::policy
