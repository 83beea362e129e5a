#include "sim/scenario.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace autoglm::sim {
namespace {

const std::string kFixtures = std::string(AUTOGLM_SOURCE_DIR) + "/tests/sim/data";

constexpr const char* kValid = R"(name: small
seed: 9
policies: [round_robin, dynamic]
client_timeout_s: 30
duration_s: 120
cluster:
  nodes:
    - {profile: h100-80gb-8b, count: 2}
    - {profile: l4-24gb-8b, count: 1, name: slow}
  failures:
    - {node: slow-0, from_s: 10, to_s: 20}
scheduler:
  tick_ms: 20
  metrics_interval_ms: 100
workload:
  max_output_tokens: 256
  synthetic:
    arrival: {process: gamma, rate: 5, cv: 3}
    input: {dist: lognormal, mean: 800, sigma: 0.5, max: 4000}
    output: {dist: uniform, min: 10, max: 300}
  prefix_groups: {groups: 3, tokens: 1024, share: 0.5}
  priority: {critical: 1, standard: 8, batch: 1}
  multimodal: {vision: 0.1}
)";

core::Result<Scenario> parse(const std::string& yaml) {
  return parse_scenario(yaml, "scenarios/x.yaml", kFixtures);
}

// The error for `yaml`, or "parsed" if there was none.
std::string error(const std::string& yaml) {
  auto s = parse(yaml);
  return s ? "parsed" : s.status().message();
}

// kValid with the first occurrence of `from` replaced.
std::string with(const std::string& from, const std::string& to) {
  std::string y = kValid;
  const auto at = y.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return y.replace(at, from.size(), to);
}

TEST(Scenario, ParsesEverySection) {
  auto s = parse(kValid);
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->name, "small");
  EXPECT_EQ(s->seed, 9u);
  EXPECT_EQ(s->policies, (std::vector<std::string>{"round_robin", "dynamic"}));
  EXPECT_EQ(s->client_timeout, std::chrono::seconds(30));
  ASSERT_EQ(s->cluster.nodes.size(), 3u);
  EXPECT_EQ(s->cluster.nodes[0].id, "h100-80gb-8b-0");
  EXPECT_EQ(s->cluster.nodes[1].id, "h100-80gb-8b-1");
  EXPECT_EQ(s->cluster.nodes[2].id, "slow-0");
  EXPECT_EQ(s->cluster.nodes[2].profile.name, "l4-24gb-8b");
  EXPECT_EQ(s->cluster.nodes[0].model, s->cluster.nodes[0].profile.model);
  ASSERT_EQ(s->cluster.failures.size(), 1u);
  EXPECT_EQ(s->cluster.failures[0].node, 2u);
  EXPECT_EQ(s->cluster.failures[0].from, std::chrono::seconds(10));
  EXPECT_EQ(s->cluster.failures[0].to, std::chrono::seconds(20));
  EXPECT_EQ(s->scheduler.tick, std::chrono::milliseconds(20));
  EXPECT_EQ(s->metrics_interval, std::chrono::milliseconds(100));
  const WorkloadSpec& w = s->workload;
  EXPECT_EQ(w.model, s->cluster.nodes[0].model);
  EXPECT_EQ(w.duration_s, 120);
  EXPECT_EQ(w.max_output_tokens, 256);
  const auto& syn = std::get<SyntheticSource>(w.source);
  EXPECT_EQ(syn.arrival.kind, ArrivalProcess::Kind::kGamma);
  EXPECT_EQ(syn.arrival.cv, 3);
  EXPECT_EQ(syn.input.kind, LengthDistribution::Kind::kLognormal);
  EXPECT_EQ(syn.input.max, 4000);
  EXPECT_EQ(syn.output.kind, LengthDistribution::Kind::kUniform);
  EXPECT_EQ(w.prefix_groups.groups, 3);
  EXPECT_EQ(w.priority.weights[1], 8);
  EXPECT_EQ(w.modality.vision, 0.1);

  const auto opts = simulation_options(*s, "dynamic");
  EXPECT_EQ(opts.policy, "dynamic");
  EXPECT_EQ(opts.seed, 9u);
  EXPECT_EQ(opts.client_timeout, std::chrono::seconds(30));
}

TEST(Scenario, NameDefaultsToTheFileName) {
  auto s = parse(with("name: small\n", ""));
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->name, "x");
}

TEST(Scenario, TracePathsResolveAgainstTheScenarioFolder) {
  auto s = parse(with("  synthetic:\n    arrival: {process: gamma, rate: 5, cv: 3}\n"
                      "    input: {dist: lognormal, mean: 800, sigma: 0.5, max: 4000}\n"
                      "    output: {dist: uniform, min: 10, max: 300}\n",
                      "  trace: {format: azure, path: azure_small.csv, end_s: 100}\n"));
  ASSERT_TRUE(s) << s.status().message();
  const auto& t = std::get<TraceSource>(s->workload.source);
  EXPECT_EQ(t.path, kFixtures + "/azure_small.csv");
  EXPECT_EQ(t.end_s, 100);
}

TEST(Scenario, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(error(with("seed: 9", "sede: 9")),
            "scenarios/x.yaml:2: sede: unknown key (did you mean 'seed'?)");
  EXPECT_EQ(error(with("round_robin, dynamic", "round_robin, fastest")),
            "scenarios/x.yaml:3: policies: unknown policy 'fastest'; known policies: round_robin, "
            "random, least_request, p2c, seed_load, resource, latency_weighted, prefix_aware, "
            "slo_aware, dynamic");
  EXPECT_EQ(error(with("client_timeout_s: 30", "client_timeout_s: soon")),
            "scenarios/x.yaml:4: client_timeout_s: expected a number, got 'soon'");
  EXPECT_EQ(error(with("count: 2", "count: -2")),
            "scenarios/x.yaml:8: cluster.nodes[0].count: must be positive, got -2");
  const std::string profile = error(with("profile: h100-80gb-8b", "profile: h200"));
  EXPECT_EQ(profile.rfind("scenarios/x.yaml:8: cluster.nodes[0].profile: unknown GPU profile "
                          "'h200'; known profiles: ",
                          0),
            0u)
      << profile;
  EXPECT_EQ(error(with("node: slow-0", "node: slow-1")),
            "scenarios/x.yaml:11: cluster.failures[0].node: no node 'slow-1'; nodes are named "
            "<name or profile>-<n>: h100-80gb-8b-0, h100-80gb-8b-1, slow-0");
  EXPECT_EQ(error(with("to_s: 20", "to_s: 5")),
            "scenarios/x.yaml:11: cluster.failures[0].to_s: must be after from_s");
  EXPECT_EQ(error(with("dist: lognormal", "dist: zipf")),
            "scenarios/x.yaml:19: workload.synthetic.input.dist: unknown distribution 'zipf'; "
            "expected fixed, uniform or lognormal");
  EXPECT_EQ(error(with("process: gamma, rate: 5, cv: 3", "process: gamma, rate: 5")),
            "scenarios/x.yaml:18: workload.synthetic.arrival: missing field 'cv'");
  EXPECT_EQ(error(with("share: 0.5", "share: 1.5")),
            "scenarios/x.yaml:21: workload.prefix_groups.share: must be at most 1");
  EXPECT_EQ(error(with("tick_ms: 20", "tick: 20")),
            "scenarios/x.yaml:13: scheduler.tick: unknown key (did you mean 'tick_ms'?)");
  EXPECT_EQ(error(with("name: slow", "name: h100-80gb-8b")),
            "scenarios/x.yaml:9: cluster.nodes[1].name: node id 'h100-80gb-8b-0' is used twice; "
            "give the groups a `name`");
}

TEST(Scenario, WorkloadNeedsExactlyOneSource) {
  EXPECT_EQ(error(with("  synthetic:", "  synthetic_:")),
            "scenarios/x.yaml:16: workload: missing field 'trace' or 'synthetic'");
  EXPECT_EQ(error(with("  prefix_groups:", "  trace: {format: azure, path: azure_small.csv}\n"
                                           "  prefix_groups:")),
            "scenarios/x.yaml:16: workload: give either `trace` or `synthetic`, not both");
  EXPECT_EQ(error(with("duration_s: 120\n", "")),
            "scenarios/x.yaml:15: workload: a synthetic workload needs `synthetic.requests` or a "
            "`duration_s`");
}

TEST(Scenario, TraceErrors) {
  const std::string trace_head = "  trace: {format: ";
  const auto trace = [&](const std::string& body) {
    return with("  synthetic:\n    arrival: {process: gamma, rate: 5, cv: 3}\n"
                "    input: {dist: lognormal, mean: 800, sigma: 0.5, max: 4000}\n"
                "    output: {dist: uniform, min: 10, max: 300}\n",
                trace_head + body + "}\n");
  };
  EXPECT_EQ(error(trace("sharegpt, path: azure_small.csv")),
            "scenarios/x.yaml:17: workload.trace.format: unknown trace format 'sharegpt'; expected "
            "one of azure, mooncake, burstgpt");
  EXPECT_EQ(error(trace("azure, path: nope.csv")),
            "scenarios/x.yaml:17: workload.trace.path: no such file: " + kFixtures + "/nope.csv");
  EXPECT_EQ(error(trace("azure, path: azure_small.csv, start_s: 10, end_s: 5")),
            "scenarios/x.yaml:17: workload.trace.end_s: must be after start_s");
}

TEST(Scenario, YamlSyntaxAndMissingSections) {
  EXPECT_EQ(error("policies: [a\n"), "scenarios/x.yaml:2: end of sequence flow not found");
  EXPECT_EQ(error("- 1\n"), "scenarios/x.yaml: expected a map");
  EXPECT_EQ(error("policies: [dynamic]\nworkload: {synthetic: {}}\n"),
            "scenarios/x.yaml:1: missing field 'cluster'");
}

TEST(Scenario, WorkloadModelMustBeServed) {
  EXPECT_EQ(error(with("  max_output_tokens: 256", "  model: llama-2-70b\n  max_output_tokens: 256")),
            "scenarios/x.yaml:16: workload.model: no node group serves model 'llama-2-70b'");
}

TEST(Scenario, ShippedScenariosParse) {
  const std::string dir = std::string(AUTOGLM_SOURCE_DIR) + "/scenarios";
  if (!std::filesystem::exists(std::string(AUTOGLM_SOURCE_DIR) + "/../shared/data")) {
    GTEST_SKIP() << "../shared/data is missing";
  }
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    auto s = load_scenario(entry.path().string());
    EXPECT_TRUE(s) << s.status().message();
  }
  EXPECT_GE(count, 2);
}

}  // namespace
}  // namespace autoglm::sim
