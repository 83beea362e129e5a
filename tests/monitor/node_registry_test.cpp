#include "monitor/node_registry.hpp"

#include <gtest/gtest.h>

namespace autoglm::monitor {
namespace {

using namespace std::chrono_literals;

core::NodeSpec spec(std::string id) {
  core::NodeSpec s;
  s.id = std::move(id);
  s.url = "http://127.0.0.1:1";
  s.models = {"m"};
  return s;
}

RegistryOptions options() {
  RegistryOptions o;
  o.outlier.consecutive_gateway_failure = 3;
  o.outlier.consecutive_5xx = 3;
  o.outlier.base_ejection_time = 5s;
  o.outlier.interval = 1s;
  o.outlier.max_ejection_percent = 50;
  o.breaker.failure_threshold = 2;
  o.breaker.open_time = 2s;
  o.breaker.half_open_trials = 1;
  o.slow_start.window = 10s;
  return o;
}

NodeRegistration registration(std::string id, std::int64_t heartbeat_ms) {
  NodeRegistration r;
  r.node = spec(std::move(id));
  r.heartbeat_interval_ms = heartbeat_ms;
  return r;
}

TEST(NodeRegistry, ConfiguredNodesServeAtOnce) {
  NodeRegistry registry(options(), 0s);
  NodeUpdate u = registry.add_static(0, spec("a"), 0s);
  EXPECT_TRUE(u.accepts_work);
  EXPECT_EQ(registry.report(0s).at(0).state, "healthy");
  EXPECT_EQ(registry.report(0s).at(0).source, "config");
}

TEST(NodeRegistry, AnAgentNodeJoinsOnItsFirstHeartbeatAndGoesDownAfterThreeMissed) {
  NodeRegistry registry(options(), 0s);
  EXPECT_FALSE(registry.add_registered(0, registration("gpu-1", 1000), 0s).accepts_work);
  EXPECT_EQ(registry.check_targets().size(), 0u);  // agents are not health-checked

  Heartbeat hb;
  hb.node_id = "gpu-1";
  hb.interval_ms = 1000;
  hb.host.cpu_util = 0.25;
  auto u = registry.heartbeat(hb, 100ms);
  ASSERT_TRUE(u.is_ok());
  EXPECT_TRUE(u->accepts_work);
  ASSERT_TRUE(u->metrics.has_value());
  EXPECT_DOUBLE_EQ(u->metrics->cpu_util, 0.25);

  // One missed: still up (only its slow-start ramp moves, the node joined at run time).
  for (const auto& update : registry.tick(2'000ms)) {
    EXPECT_TRUE(update.accepts_work);
    EXPECT_LT(update.warmup, 1.0);
  }
  auto updates = registry.tick(3'200ms);  // three missed
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_FALSE(updates[0].accepts_work);
  EXPECT_EQ(registry.report(3'200ms).at(0).state, "down");

  ASSERT_TRUE(registry.heartbeat(hb, 3'300ms).is_ok());
  EXPECT_EQ(registry.report(3'300ms).at(0).state, "healthy");
}

TEST(NodeRegistry, HeartbeatForAnUnknownNodeIsNotFoundSoTheAgentRegistersAgain) {
  NodeRegistry registry(options(), 0s);
  Heartbeat hb;
  hb.node_id = "ghost";
  auto u = registry.heartbeat(hb, 0s);
  ASSERT_FALSE(u.is_ok());
  EXPECT_EQ(u.status().code(), core::ErrorCode::kNotFound);
}

TEST(NodeRegistry, RegisteredNodeWithoutAgentJoinsAfterPassingChecks) {
  NodeRegistry registry(options(), 0s);
  registry.add_registered(0, registration("n", 0), 0s);
  ASSERT_EQ(registry.check_targets(), std::vector<std::size_t>{0});
  EXPECT_FALSE(registry.health_checked(0, true, "", 1s).has_value());  // one pass: joining
  EXPECT_EQ(registry.report(1s).at(0).state, "joining");
  auto u = registry.health_checked(0, true, "", 2s);
  ASSERT_TRUE(u.has_value());
  EXPECT_TRUE(u->accepts_work);
}

TEST(NodeRegistry, FailedChecksTakeAConfiguredNodeDown) {
  NodeRegistry registry(options(), 0s);
  registry.add_static(0, spec("a"), 0s);
  EXPECT_FALSE(registry.health_checked(0, false, "refused", 1s).has_value());  // degraded
  EXPECT_EQ(registry.report(1s).at(0).state, "degraded");
  registry.health_checked(0, false, "refused", 2s);
  auto u = registry.health_checked(0, false, "refused", 3s);
  ASSERT_TRUE(u.has_value());
  EXPECT_FALSE(u->accepts_work);
  EXPECT_EQ(registry.report(3s).at(0).state, "down");
}

TEST(NodeRegistry, ConnectFailureBacksOffThenTheNodeReturns) {
  auto o = options();
  o.failure_backoff = 1s;
  o.breaker.enabled = false;
  NodeRegistry registry(o, 0s);
  registry.add_static(0, spec("a"), 0s);
  registry.add_static(1, spec("b"), 0s);
  auto u = registry.finished(0, RequestOutcome::kConnectFailure, false, 0s);
  ASSERT_TRUE(u.has_value());
  EXPECT_FALSE(u->accepts_work);
  auto back = registry.tick(1'100ms);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(back[0].accepts_work);
}

TEST(NodeRegistry, ClientErrorsNeverOpenTheBreakerOrEject) {
  NodeRegistry registry(options(), 0s);
  registry.add_static(0, spec("a"), 0s);
  registry.add_static(1, spec("b"), 0s);
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(registry.admit(0, 0s), Admission::kAdmitted);
    EXPECT_FALSE(registry.finished(0, RequestOutcome::kClientError, true, 0s).has_value());
  }
  auto report = registry.report(0s).at(0);
  EXPECT_EQ(report.state, "healthy");
  EXPECT_EQ(report.breaker, "closed");
}

TEST(NodeRegistry, ServerErrorsOpenTheBreakerAndItClosesAfterATrial) {
  auto o = options();
  o.outlier.enabled = false;
  NodeRegistry registry(o, 0s);
  registry.add_static(0, spec("a"), 0s);
  registry.admit(0, 0s);
  registry.finished(0, RequestOutcome::kServerError, true, 0s);
  registry.admit(0, 0s);
  auto u = registry.finished(0, RequestOutcome::kServerError, true, 0s);
  ASSERT_TRUE(u.has_value());
  EXPECT_FALSE(u->accepts_work);
  EXPECT_EQ(registry.report(0s).at(0).breaker, "open");
  EXPECT_EQ(registry.admit(0, 1s), Admission::kRejectedOpen);

  auto half = registry.tick(2'100ms);  // half-open: trials may go
  ASSERT_EQ(half.size(), 1u);
  EXPECT_TRUE(half[0].accepts_work);
  ASSERT_EQ(registry.admit(0, 2'100ms), Admission::kAdmitted);
  registry.finished(0, RequestOutcome::kSuccess, true, 2'200ms);
  EXPECT_EQ(registry.report(2'200ms).at(0).breaker, "closed");
  EXPECT_EQ(registry.report(2'200ms).at(0).state, "healthy");
}

// The slow-start ramp reaches the scheduler: published in steps as the tick runs, then 1.
TEST(NodeRegistry, SlowStartRampIsPublishedToTheScheduler) {
  auto o = options();
  o.breaker.enabled = false;
  NodeRegistry registry(o, 0s);
  registry.add_static(0, spec("a"), 0s);
  registry.add_static(1, spec("b"), 0s);
  EXPECT_EQ(registry.report(0s).at(0).slow_start, 1.0);  // configured nodes start warm
  for (int i = 0; i < 3; ++i) registry.finished(0, RequestOutcome::kGatewayError, false, 0s);
  auto back = registry.tick(6s);  // un-ejected: the ramp begins at min_weight
  ASSERT_EQ(back.size(), 1u);
  EXPECT_NEAR(back[0].warmup, o.slow_start.min_weight, 1e-9);
  double last = back[0].warmup;
  int steps = 0;
  for (core::Duration t = 6s; t <= 6s + o.slow_start.window + 1s; t += 100ms) {
    for (const auto& u : registry.tick(t)) {
      EXPECT_GE(u.warmup, last);
      last = u.warmup;
      ++steps;
    }
  }
  EXPECT_EQ(last, 1.0);
  EXPECT_GE(steps, 10);  // about one update per 0.05 of share, not one per tick
  EXPECT_LE(steps, 20);
}

TEST(NodeRegistry, RepeatedEjectionsLastLongerAndEndWithASlowStart) {
  auto o = options();
  o.breaker.enabled = false;
  NodeRegistry registry(o, 0s);
  registry.add_static(0, spec("a"), 0s);
  registry.add_static(1, spec("b"), 0s);
  auto fail = [&](core::Time at) {
    std::optional<NodeUpdate> last;
    for (int i = 0; i < 3; ++i)
      last = registry.finished(0, RequestOutcome::kGatewayError, false, at);
    return last;
  };
  auto first = fail(0s);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->accepts_work);
  EXPECT_EQ(registry.report(0s).at(0).state, "ejected");
  EXPECT_TRUE(registry.tick(4s).empty());
  auto back = registry.tick(6s);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(back[0].accepts_work);
  EXPECT_LT(registry.report(6s).at(0).slow_start, 1.0);

  fail(6s);  // second ejection: twice the base time
  EXPECT_TRUE(registry.tick(12s).empty());
  EXPECT_EQ(registry.tick(17s).size(), 1u);
}

TEST(NodeRegistry, DrainAndDeregister) {
  NodeRegistry registry(options(), 0s);
  registry.add_static(0, spec("a"), 0s);
  auto drained = registry.drain("a", 1s);
  ASSERT_TRUE(drained.is_ok());
  EXPECT_TRUE(drained->draining);
  EXPECT_FALSE(drained->accepts_work);
  auto gone = registry.deregister("a", 2s);
  ASSERT_TRUE(gone.is_ok());
  EXPECT_TRUE(gone->removed);
  EXPECT_FALSE(registry.find("a").has_value());
  EXPECT_TRUE(registry.report(2s).empty());
  EXPECT_EQ(registry.drain("a", 3s).status().code(), core::ErrorCode::kNotFound);
}

TEST(NodeRegistry, ScrapedBackendMetricsReachTheScheduler) {
  NodeRegistry registry(options(), 0s);
  registry.add_static(0, spec("a"), 0s);
  BackendMetrics backend;
  backend.running = 3;
  backend.waiting = 7;
  backend.kv_cache_usage = 0.5;
  auto u = registry.scraped(0, backend, 1s);
  ASSERT_TRUE(u.has_value());
  ASSERT_TRUE(u->metrics.has_value());
  EXPECT_EQ(u->metrics->backend_waiting, 7);
  EXPECT_DOUBLE_EQ(u->metrics->kv_cache_usage, 0.5);

  auto failed = registry.scraped(0, core::Status(core::ErrorCode::kTimeout, "timed out"), 2s);
  EXPECT_FALSE(failed.has_value());
  EXPECT_EQ(registry.report(2s).at(0).scrape_error, "timed out");
}

}  // namespace
}  // namespace autoglm::monitor
