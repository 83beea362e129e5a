#include "sim/simulator.hpp"

#include <gtest/gtest.h>

#include "policy/pipeline.hpp"
#include "sim/latency_model.hpp"
#include "sim/report.hpp"
#include "sim/scenario.hpp"

namespace autoglm::sim {
namespace {

using namespace std::chrono_literals;

ClusterSpec cluster(const std::string& profile, int count) {
  ClusterSpec c;
  const GpuProfile p = find_profile(profile).value();
  for (int i = 0; i < count; ++i) c.nodes.push_back({profile + "-" + std::to_string(i), p, p.model});
  return c;
}

Workload synthetic(double rate, std::int64_t n, std::uint64_t seed = 1,
                   double input_mean = 1000, double output_mean = 150) {
  SyntheticSource s;
  s.arrival = {ArrivalProcess::Kind::kPoisson, rate};
  s.requests = n;
  s.input = {LengthDistribution::Kind::kLognormal};
  s.input.mean = input_mean;
  s.input.sigma = 0.8;
  s.input.max = 16000;
  s.output = {LengthDistribution::Kind::kLognormal};
  s.output.mean = output_mean;
  s.output.sigma = 0.8;
  s.output.max = 2000;
  WorkloadSpec spec;
  spec.source = s;
  spec.model = "llama-3-8b";
  return build_workload(spec, seed).value();
}

SimulationOptions options(const std::string& policy, core::Duration timeout = 0s) {
  SimulationOptions o;
  o.policy = policy;
  o.client_timeout = timeout;
  return o;
}

// Every request ended exactly once, with an outcome.
void expect_all_ended_once(const SimulationResult& r) {
  for (std::size_t i = 0; i < r.requests.size(); ++i) {
    ASSERT_EQ(r.requests[i].ends, 1) << "request " << i << " under " << r.policy;
    ASSERT_NE(r.requests[i].outcome, Outcome::kPending) << "request " << i;
  }
}

TEST(Simulator, ALoneRequestTakesTheModelsTime) {
  const ClusterSpec c = cluster("h100-80gb-8b", 1);
  Workload w;
  w.model = "llama-3-8b";
  Request r;
  r.arrival = core::Time(5s);
  r.input_tokens = 2000;
  r.output_tokens = 1;
  r.max_output_tokens = 1;
  w.requests.push_back(r);
  auto res = simulate(c, w, options("round_robin")).value();
  ASSERT_EQ(res.requests[0].outcome, Outcome::kSuccess);
  const double expected = LatencyModel(c.nodes[0].profile).ttft_ms(2000);
  EXPECT_NEAR(core::to_ms(res.requests[0].ttft), expected, 1e-3);
  EXPECT_NEAR(core::to_ms(res.requests[0].e2e), expected, 1e-3);
}

TEST(Simulator, EveryRequestEndsExactlyOnceUnderEveryPolicy) {
  ClusterSpec c = cluster("a100-80gb-8b", 2);
  const ClusterSpec l4 = cluster("l4-24gb-8b", 2);
  c.nodes.push_back(l4.nodes[0]);
  c.nodes.push_back(l4.nodes[1]);
  c.nodes[2].id = "l4-a";
  c.nodes[3].id = "l4-b";
  c.failures.push_back({1, core::Time(10s), core::Time(25s)});
  c.failures.push_back({2, core::Time(15s), core::Time(20s)});
  // Overloaded, with priorities (critical work may preempt batch work) and timeouts.
  SyntheticSource s;
  s.arrival = {ArrivalProcess::Kind::kGamma, 25, 3};
  s.requests = 1500;
  s.input = {LengthDistribution::Kind::kLognormal};
  s.input.mean = 1500;
  s.input.max = 40000;
  s.output = {LengthDistribution::Kind::kLognormal};
  s.output.mean = 200;
  s.output.max = 2000;
  WorkloadSpec spec;
  spec.source = s;
  spec.model = "llama-3-8b";
  spec.priority.weights = {1, 5, 3, 1};
  spec.prefix_groups = {3, 1024, 0.5};
  const Workload w = build_workload(spec, 11).value();
  for (const std::string& policy : policy::preset_names()) {
    auto res = simulate(c, w, options(policy, 20s));
    ASSERT_TRUE(res) << res.status().message();
    expect_all_ended_once(*res);
    const PolicyReport rep = summarize(w, *res);
    EXPECT_EQ(rep.succeeded + rep.shed + rep.timed_out + rep.failed, rep.requests) << policy;
    EXPECT_GT(rep.succeeded, 0u) << policy;
    EXPECT_GT(rep.failed, 0u) << policy;  // the failure windows
    for (const RequestResult& q : res->requests) {
      if (q.outcome == Outcome::kSuccess) {
        EXPECT_LE(q.e2e, 20s) << policy;
      }
    }
  }
}

TEST(Simulator, AFasterClusterHasLowerLatency) {
  const Workload w = synthetic(4, 400);
  const auto slow = summarize(w, simulate(cluster("l4-24gb-8b", 4), w, options("least_request")).value());
  const auto fast = summarize(w, simulate(cluster("h100-80gb-8b", 4), w, options("least_request")).value());
  EXPECT_EQ(slow.succeeded, 400u);
  EXPECT_EQ(fast.succeeded, 400u);
  EXPECT_LT(fast.e2e.mean_ms * 3, slow.e2e.mean_ms);
  EXPECT_LT(fast.ttft.p99_ms, slow.ttft.p99_ms);
  EXPECT_LT(fast.gpu_util, slow.gpu_util);
}

// Nodes report GPU memory from their profiles (sim::gpu_memory), as a live simnode does:
// seed_load's memory half sends an idle cluster's first request to the H100, whose 8B
// weights fill a far smaller share than the L4's, though the L4 is listed first.
TEST(Simulator, NodesReportTheirProfilesGpuMemory) {
  ClusterSpec c = cluster("l4-24gb-8b", 1);
  const GpuProfile h100 = find_profile("h100-80gb-8b").value();
  c.nodes.push_back({"h100", h100, h100.model});
  const Workload w = synthetic(1, 3);
  const auto res = simulate(c, w, options("seed_load")).value();
  ASSERT_EQ(res.requests.size(), 3u);
  EXPECT_EQ(res.requests[0].node, 1u);
}

TEST(Simulator, AFailureWindowFailsRequestsOnlyInsideIt) {
  ClusterSpec c = cluster("a100-80gb-8b", 4);
  c.failures.push_back({1, core::Time(20s), core::Time(40s)});
  const Workload w = synthetic(10, 600);  // about 60 s
  auto res = simulate(c, w, options("round_robin")).value();
  expect_all_ended_once(res);
  int failed = 0;
  for (std::size_t i = 0; i < res.requests.size(); ++i) {
    const RequestResult& q = res.requests[i];
    if (q.outcome != Outcome::kFailed) continue;
    ++failed;
    EXPECT_EQ(q.node, 1u);
    EXPECT_GE(q.end, core::Time(20s));
    EXPECT_LE(q.end, core::Time(40s));
  }
  EXPECT_GT(failed, 0);
  // The node was down for 20 s and took no work meanwhile.
  EXPECT_NEAR(res.nodes[1].down_s, 20, 1e-9);
  for (std::size_t i = 0; i < res.requests.size(); ++i) {
    const auto arrival = w.requests[i].arrival;
    if (res.requests[i].outcome == Outcome::kSuccess && res.requests[i].node == 1) {
      EXPECT_TRUE(arrival < core::Time(20s) || arrival >= core::Time(40s)) << i;
    }
  }
}

TEST(Simulator, SameSeedGivesTheSameReport) {
  const Workload w = synthetic(30, 800, 4);
  const ClusterSpec c = cluster("a100-80gb-8b", 3);
  for (const char* policy : {"random", "p2c", "dynamic"}) {
    ScenarioReport a{"x", w.description, {summarize(w, simulate(c, w, options(policy)).value())}};
    ScenarioReport b{"x", w.description, {summarize(w, simulate(c, w, options(policy)).value())}};
    EXPECT_EQ(render_report(a, ReportFormat::kJson), render_report(b, ReportFormat::kJson)) << policy;
  }
}

TEST(Simulator, ClientsThatTimeOutAreNotSuccesses) {
  const Workload w = synthetic(40, 600);  // far beyond one L4
  auto res = simulate(cluster("l4-24gb-8b", 1), w, options("round_robin", 5s)).value();
  expect_all_ended_once(res);
  const PolicyReport rep = summarize(w, res);
  EXPECT_GT(rep.timed_out, 100u);
  EXPECT_LE(rep.e2e.p99_ms, 5000);
  for (const RequestResult& q : res.requests) {
    if (q.outcome == Outcome::kTimeout) {
      EXPECT_EQ(q.e2e, 5s);
    }
  }
}

TEST(Simulator, PrefixAwareRoutingFindsMoreCachedPrefixes) {
  // 16 groups of 8 shared blocks: 128 blocks, more than one node's cache holds (64), but
  // split across 8 nodes by affinity each node needs only a few groups.
  SyntheticSource s;
  s.arrival = {ArrivalProcess::Kind::kPoisson, 8};
  s.requests = 1500;
  s.input = {LengthDistribution::Kind::kFixed, 200};
  s.output = {LengthDistribution::Kind::kFixed, 50};
  WorkloadSpec spec;
  spec.source = s;
  spec.model = "llama-3-8b";
  spec.prefix_groups = {16, 4096, 1.0};
  const Workload w = build_workload(spec, 2).value();
  ClusterSpec c = cluster("a100-80gb-8b", 8);
  for (auto& n : c.nodes) n.profile.kv_capacity_tokens = 64 * kPrefixBlockTokens;
  const auto rr = summarize(w, simulate(c, w, options("round_robin")).value());
  const auto pa = summarize(w, simulate(c, w, options("prefix_aware")).value());
  EXPECT_GT(pa.cache_hit_rate, rr.cache_hit_rate + 0.2);
  EXPECT_GT(pa.cache_hit_rate, 0.8);
  EXPECT_LT(pa.ttft.mean_ms, rr.ttft.mean_ms);
}

TEST(Simulator, CriticalWorkPreemptsRunningBatchWorkAndEverythingStillEndsOnce) {
  ClusterSpec c = cluster("a100-80gb-8b", 2);
  for (auto& n : c.nodes) n.profile.max_batch = 3;  // the scheduler's capacity: 3 per node
  SyntheticSource s;
  s.arrival = {ArrivalProcess::Kind::kPoisson, 4};
  s.requests = 300;
  s.input = {LengthDistribution::Kind::kFixed, 500};
  s.output = {LengthDistribution::Kind::kFixed, 100};
  WorkloadSpec spec;
  spec.source = s;
  spec.model = "llama-3-8b";
  spec.priority.weights = {1, 0, 3, 0};  // critical and (preemptible) batch
  const Workload w = build_workload(spec, 3).value();
  auto res = simulate(c, w, options("least_request", 60s)).value();
  expect_all_ended_once(res);
  EXPECT_GT(res.scheduler_preempted, 0u);
  int replaced = 0;
  for (const RequestResult& q : res.requests) replaced += q.placements > 1;
  EXPECT_GT(replaced, 0);
}

TEST(Simulator, ARequestNoNodeCanHoldFails) {
  Workload w;
  w.model = "llama-3-8b";
  Request r;
  r.input_tokens = 60000;  // the L4 holds 45k tokens of KV
  r.output_tokens = r.max_output_tokens = 10;
  w.requests.push_back(r);
  auto res = simulate(cluster("l4-24gb-8b", 1), w, options("round_robin")).value();
  EXPECT_EQ(res.requests[0].outcome, Outcome::kFailed);
  EXPECT_EQ(res.too_long, 1u);
}

TEST(Simulator, RejectsBadInput) {
  const Workload w = synthetic(1, 5);
  auto unknown = simulate(cluster("a100-80gb-8b", 1), w, options("fastest"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.status().message().find("unknown policy 'fastest'"), std::string::npos);
  EXPECT_FALSE(simulate(ClusterSpec{}, w, options("round_robin")));
  Workload other = w;
  other.model = "gpt-9";
  auto unserved = simulate(cluster("a100-80gb-8b", 1), other, options("round_robin"));
  ASSERT_FALSE(unserved);
  EXPECT_EQ(unserved.status().message(), "no node serves the workload's model 'gpt-9'");
}

TEST(Simulator, RunsASmallScenarioEndToEnd) {
  auto s = load_scenario(std::string(AUTOGLM_SOURCE_DIR) + "/tests/sim/data/small_scenario.yaml");
  ASSERT_TRUE(s) << s.status().message();
  auto w = build_workload(s->workload, s->seed);
  ASSERT_TRUE(w) << w.status().message();
  ScenarioReport report{s->name, w->description, {}};
  for (const std::string& policy : s->policies) {
    auto res = simulate(s->cluster, *w, simulation_options(*s, policy));
    ASSERT_TRUE(res) << res.status().message();
    expect_all_ended_once(*res);
    report.policies.push_back(summarize(*w, *res));
  }
  ASSERT_EQ(report.policies.size(), 3u);
  for (const PolicyReport& p : report.policies) {
    EXPECT_GT(p.requests, 300u);
    EXPECT_GT(p.success_rate, 0.5) << p.policy;
    EXPECT_GT(p.cache_hit_rate, 0.0) << p.policy;
  }
  const std::string table = render_report(report, ReportFormat::kTable);
  EXPECT_NE(table.find("least_request"), std::string::npos) << table;
}

}  // namespace
}  // namespace autoglm::sim
