// Scenarios may define composed policies under `pipelines:` and compare them by name.
#include <gtest/gtest.h>

#include "sim/scenario.hpp"

namespace autoglm::sim {
namespace {

std::string scenario(const std::string& pipelines, const std::string& policies) {
  return "policies: " + policies + "\n" + pipelines +
         "cluster:\n  nodes:\n    - {profile: h100-80gb-8b, count: 2}\n"
         "workload:\n  synthetic:\n    requests: 10\n    arrival: {process: poisson, rate: 1}\n"
         "    input: {dist: fixed, value: 100}\n    output: {dist: fixed, value: 10}\n";
}

constexpr const char* kTuned = R"(pipelines:
  tuned:
    filters: [healthy, serves_model, not_saturated]
    scorers: {predicted_latency: 4.5, queue_depth: 0.25}
    picker: max_score
)";

TEST(ScenarioPipelines, APipelineCanBeNamedAsAPolicy) {
  auto s = parse_scenario(scenario(kTuned, "[round_robin, tuned]"), "x.yaml", ".");
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  ASSERT_EQ(s->pipelines.count("tuned"), 1u);
  const policy::PipelineSpec& p = s->pipelines.at("tuned");
  EXPECT_EQ(p.name, "tuned");
  EXPECT_EQ(p.filters, (std::vector<std::string>{"healthy", "serves_model", "not_saturated"}));
  ASSERT_EQ(p.scorers.size(), 2u);
  EXPECT_EQ(p.scorers[0], (std::pair<std::string, double>{"predicted_latency", 4.5}));
  EXPECT_TRUE(knows_policy(*s, "tuned"));
  EXPECT_TRUE(knows_policy(*s, "dynamic"));
  EXPECT_FALSE(knows_policy(*s, "nope"));

  const SimulationOptions tuned = simulation_options(*s, "tuned");
  ASSERT_TRUE(tuned.pipeline.has_value());
  EXPECT_EQ(tuned.pipeline->scorers, p.scorers);
  EXPECT_FALSE(simulation_options(*s, "round_robin").pipeline.has_value());
}

TEST(ScenarioPipelines, BadPartsAreErrorsWithTheKey) {
  const auto unknown_scorer = parse_scenario(
      scenario("pipelines:\n  t:\n    filters: [healthy]\n    scorers: {fastest: 1}\n", "[t]"),
      "x.yaml", ".");
  ASSERT_FALSE(unknown_scorer.is_ok());
  EXPECT_NE(unknown_scorer.status().message().find("fastest"), std::string::npos)
      << unknown_scorer.status().message();
  EXPECT_NE(unknown_scorer.status().message().find("x.yaml:"), std::string::npos);

  const auto negative = parse_scenario(
      scenario("pipelines:\n  t:\n    filters: [healthy]\n    scorers: {queue_depth: -1}\n", "[t]"),
      "x.yaml", ".");
  ASSERT_FALSE(negative.is_ok());
  EXPECT_NE(negative.status().message().find("queue_depth"), std::string::npos);

  const auto unnamed = parse_scenario(scenario(kTuned, "[tuned2]"), "x.yaml", ".");
  ASSERT_FALSE(unnamed.is_ok());
  EXPECT_NE(unnamed.status().message().find("tuned"), std::string::npos)
      << "the error lists the scenario's pipelines: " << unnamed.status().message();
}

}  // namespace
}  // namespace autoglm::sim
