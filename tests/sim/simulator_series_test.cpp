// The simulator's time series (for --plot) and composed pipelines in SimulationOptions.
#include <gtest/gtest.h>

#include "sim/report.hpp"
#include "sim/simulator.hpp"

namespace autoglm::sim {
namespace {

using namespace std::chrono_literals;

ClusterSpec two_nodes() {
  ClusterSpec c;
  for (const char* name : {"h100-80gb-8b", "l4-24gb-8b"}) {
    const GpuProfile p = find_profile(name).value();
    c.nodes.push_back({std::string(name) + "-0", p, p.model});
  }
  return c;
}

Workload poisson(double rate, std::int64_t n) {
  SyntheticSource s;
  s.arrival = {ArrivalProcess::Kind::kPoisson, rate};
  s.requests = n;
  s.input = {LengthDistribution::Kind::kUniform, 1, 200, 2000};
  s.output = {LengthDistribution::Kind::kUniform, 1, 20, 300};
  WorkloadSpec spec;
  spec.source = s;
  spec.model = "llama-3-8b";
  return build_workload(spec, 3).value();
}

TEST(SimulatorSeries, RecordsOneSamplePerIntervalWithinBounds) {
  const ClusterSpec c = two_nodes();
  const Workload w = poisson(8, 400);
  SimulationOptions o;
  o.policy = "least_request";
  o.sample_interval = 500ms;
  const SimulationResult r = simulate(c, w, o).value();
  const TimeSeries& s = r.series;
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.start(), w.requests.front().arrival);
  EXPECT_EQ(s.interval(), 500ms);
  const auto span = r.end - r.start;
  EXPECT_NEAR(double(s.size()), double(span / 500ms), 1.0);
  double busy = 0;
  double peak_queue = 0;
  for (const ClusterSample& x : s.samples()) {
    EXPECT_GE(x.gpu_util, 0.0);
    EXPECT_LE(x.gpu_util, 1.0 + 1e-9);
    EXPECT_GE(x.queued, 0.0);
    EXPECT_GE(x.waiting, 0.0);
    busy += x.gpu_util;
    peak_queue = std::max(peak_queue, x.queued + x.waiting + x.running);
  }
  EXPECT_GT(busy, 0.0);
  EXPECT_GT(peak_queue, 0.0);
  // The series' busy time matches the nodes' (up to the last partial interval).
  double node_busy_s = 0;
  for (const NodeResult& n : r.nodes) node_busy_s += n.busy_s;
  EXPECT_NEAR(busy * 0.5 * double(c.nodes.size()), node_busy_s, 0.5 * double(c.nodes.size()));
}

TEST(SimulatorSeries, RecordsNothingByDefaultAndStaysBounded) {
  const ClusterSpec c = two_nodes();
  const Workload w = poisson(8, 200);
  SimulationOptions o;
  o.policy = "round_robin";
  EXPECT_TRUE(simulate(c, w, o).value().series.empty());
  o.sample_interval = 10ms;
  o.max_samples = 64;
  const SimulationResult r = simulate(c, w, o).value();
  EXPECT_LE(r.series.size(), 64u);
  EXPECT_GT(r.series.interval(), 10ms);
}

TEST(SimulatorSeries, SamplingDoesNotChangeTheOutcome) {
  const ClusterSpec c = two_nodes();
  const Workload w = poisson(10, 300);
  SimulationOptions o;
  o.policy = "dynamic";
  const PolicyReport plain = summarize(w, simulate(c, w, o).value());
  o.sample_interval = 100ms;
  const PolicyReport sampled = summarize(w, simulate(c, w, o).value());
  EXPECT_EQ(plain.e2e.mean_ms, sampled.e2e.mean_ms);
  EXPECT_EQ(plain.succeeded, sampled.succeeded);
}

TEST(SimulatorPipeline, AComposedPipelineRunsInsteadOfThePreset) {
  const ClusterSpec c = two_nodes();
  const Workload w = poisson(10, 300);
  SimulationOptions preset;
  preset.policy = "dynamic";
  SimulationOptions composed;
  composed.policy = "my_dynamic";
  composed.pipeline = policy::preset("dynamic").value();
  const SimulationResult a = simulate(c, w, preset).value();
  const SimulationResult b = simulate(c, w, composed).value();
  EXPECT_EQ(b.policy, "my_dynamic");
  EXPECT_EQ(summarize(w, a).e2e.mean_ms, summarize(w, b).e2e.mean_ms);

  composed.pipeline->scorers = {{"no_such_scorer", 1}};
  EXPECT_EQ(simulate(c, w, composed).status().code(), core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace autoglm::sim
