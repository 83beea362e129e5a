#include "sim/tune.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <set>

#include "sim/simulator.hpp"

namespace autoglm::sim {
namespace {

using namespace std::chrono_literals;

std::vector<TuneParameter> three() { return {{"a", 1, 0, 10}, {"b", 1, 0, 10}, {"c", 1, 0, 10}}; }

// A bowl with its minimum at (4, 0.5, 0): refinement must find the zero too.
double bowl(const std::vector<double>& w) {
  return std::pow(w[0] - 4, 2) + std::pow(w[1] - 0.5, 2) + w[2] * w[2];
}

TEST(Tune, StartsFromTheInitialWeightsAndNeverGetsWorse) {
  const TuneResult r = tune_weights(three(), bowl, TuneOptions{30, 7, 0.4});
  ASSERT_FALSE(r.trials.empty());
  EXPECT_EQ(r.trials.front().phase, "start");
  EXPECT_EQ(r.trials.front().weights, (std::vector<double>{1, 1, 1}));
  EXPECT_DOUBLE_EQ(r.initial_score, bowl({1, 1, 1}));
  EXPECT_LE(r.best_score, r.initial_score);
  EXPECT_DOUBLE_EQ(r.best_score, bowl(r.best_weights));
}

TEST(Tune, FindsTheMinimumOfASmoothObjective) {
  const TuneResult r = tune_weights(three(), bowl, TuneOptions{120, 1, 0.3});
  EXPECT_LT(r.best_score, 0.05) << r.best_weights[0] << " " << r.best_weights[1] << " "
                                << r.best_weights[2];
  EXPECT_EQ(r.best_weights[2], 0);
}

TEST(Tune, SpendsAtMostTheBudgetAndNeverRepeatsAPoint) {
  int calls = 0;
  const auto counted = [&](const std::vector<double>& w) {
    ++calls;
    return bowl(w);
  };
  const TuneResult r = tune_weights(three(), counted, TuneOptions{25, 3, 0.4});
  EXPECT_EQ(calls, static_cast<int>(r.trials.size()));
  EXPECT_LE(calls, 25);
  std::set<std::vector<double>> seen;
  for (const TuneTrial& t : r.trials) {
    EXPECT_TRUE(seen.insert(t.weights).second);
    for (std::size_t i = 0; i < t.weights.size(); ++i) {
      EXPECT_GE(t.weights[i], 0);
      EXPECT_LE(t.weights[i], 10);
      EXPECT_EQ(t.weights[i], round_weight(t.weights[i]));
    }
  }
}

TEST(Tune, IsDeterministicForASeed) {
  const auto a = tune_weights(three(), bowl, TuneOptions{20, 11, 0.5});
  const auto b = tune_weights(three(), bowl, TuneOptions{20, 11, 0.5});
  const auto c = tune_weights(three(), bowl, TuneOptions{20, 12, 0.5});
  ASSERT_EQ(a.trials.size(), b.trials.size());
  for (std::size_t i = 0; i < a.trials.size(); ++i)
    EXPECT_EQ(a.trials[i].weights, b.trials[i].weights);
  EXPECT_NE(a.trials[1].weights, c.trials[1].weights);
}

TEST(Tune, ReportsEveryTrialAsItGoes) {
  int seen = 0;
  tune_weights(three(), bowl, TuneOptions{10, 1, 0.5},
               [&](const TuneTrial& t, const TuneResult& r) {
                 EXPECT_EQ(t.index, seen++);
                 EXPECT_EQ(r.trials.size(), static_cast<std::size_t>(seen));
               });
  EXPECT_EQ(seen, 10);
}

TEST(Tune, RoundsWeightsToThreeSignificantDigits) {
  EXPECT_DOUBLE_EQ(round_weight(3.14159), 3.14);
  EXPECT_DOUBLE_EQ(round_weight(0.012345), 0.0123);
  EXPECT_DOUBLE_EQ(round_weight(123.456), 123);
  EXPECT_EQ(round_weight(0), 0);
}

TEST(Tune, ObjectiveCountsFailuresAsTheClientTimeout) {
  PolicyReport r;
  r.requests = 4;
  r.succeeded = 3;
  r.e2e.mean_ms = 100;
  EXPECT_DOUBLE_EQ(tune_objective(r, 20'000), (300 + 20'000) / 4.0);
  r.succeeded = 4;
  EXPECT_DOUBLE_EQ(tune_objective(r, 20'000), 100);
}

TEST(Tune, WeightsMapOntoThePipelineAndBackToYaml) {
  const policy::PipelineSpec dynamic = policy::preset("dynamic").value();
  const auto params = weight_parameters(dynamic);
  ASSERT_EQ(params.size(), dynamic.scorers.size());
  EXPECT_EQ(params[0].name, dynamic.scorers[0].first);
  EXPECT_DOUBLE_EQ(params[0].initial, dynamic.scorers[0].second);

  std::vector<double> w(params.size(), 0.5);
  w.back() = 0;  // switched off: left out of the YAML
  const policy::PipelineSpec tuned = with_weights(dynamic, w);
  const YAML::Node yaml = YAML::Load(pipeline_yaml(tuned, "dynamic_tuned"));
  const YAML::Node p = yaml["scheduler"]["pipeline"];
  ASSERT_TRUE(p.IsMap());
  EXPECT_EQ(p["filters"].as<std::vector<std::string>>(), dynamic.filters);
  EXPECT_EQ(p["picker"].as<std::string>(), dynamic.picker);
  EXPECT_EQ(p["scorers"].size(), dynamic.scorers.size() - 1);
  EXPECT_DOUBLE_EQ(p["scorers"][dynamic.scorers[0].first].as<double>(), 0.5);
  EXPECT_FALSE(p["scorers"][dynamic.scorers.back().first]);
}

// End to end on the twin: from deliberately poor weights on a fast and a slow node, the
// search finds better ones.
TEST(Tune, ImprovesPoorWeightsOnTheTwin) {
  ClusterSpec c;
  for (const char* name : {"h100-80gb-8b", "l4-24gb-8b"}) {
    const GpuProfile p = find_profile(name).value();
    c.nodes.push_back({std::string(name) + "-0", p, p.model});
  }
  SyntheticSource s;
  s.arrival = {ArrivalProcess::Kind::kPoisson, 6};
  s.requests = 300;
  s.input = {LengthDistribution::Kind::kUniform, 1, 200, 2000};
  s.output = {LengthDistribution::Kind::kUniform, 1, 20, 300};
  WorkloadSpec spec;
  spec.source = s;
  spec.model = "llama-3-8b";
  const Workload w = build_workload(spec, 5).value();

  policy::PipelineSpec base = policy::preset("dynamic").value();
  // Queue depth alone treats the L4 as the H100's equal.
  base.scorers = {{"predicted_latency", 0}, {"queue_depth", 1}};
  const auto evaluate = [&](const std::vector<double>& weights) {
    SimulationOptions o;
    o.policy = "t";
    o.pipeline = with_weights(base, weights);
    return tune_objective(summarize(w, simulate(c, w, o).value()), 60'000);
  };
  const TuneResult r = tune_weights(weight_parameters(base), evaluate, TuneOptions{12, 1, 0.4});
  EXPECT_LT(r.best_score, 0.9 * r.initial_score);
}

}  // namespace
}  // namespace autoglm::sim
