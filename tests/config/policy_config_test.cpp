// scheduler.pipeline and scheduler.models: composed pipelines and per-model policies.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::empty_env;
using testing::error_of;

core::Result<Config> load_text(const std::string& yaml) {
  return load_from_string(yaml, "app.yaml", empty_env());
}

constexpr const char* kComposed = R"(scheduler:
  pipeline:
    filters: [healthy, serves_model]
    scorers: {queue_depth: 2, predicted_latency: 0.5}
    picker: p2c
  models:
    big: prefix_aware
    small: {filters: [healthy], scorers: {least_request: 1}}
)";

TEST(PolicyConfig, ReadsAComposedPipelineAndPerModelChoices) {
  auto config = load_text(kComposed);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  const auto& s = config->scheduler;
  ASSERT_TRUE(s.pipeline.has_value());
  EXPECT_EQ(s.pipeline->filters, (std::vector<std::string>{"healthy", "serves_model"}));
  ASSERT_EQ(s.pipeline->scorers.size(), 2u);
  EXPECT_EQ(s.pipeline->scorers[0], (std::pair<std::string, double>{"queue_depth", 2}));
  EXPECT_EQ(s.pipeline->scorers[1], (std::pair<std::string, double>{"predicted_latency", 0.5}));
  EXPECT_EQ(s.pipeline->picker, "p2c");
  ASSERT_EQ(s.models.size(), 2u);
  EXPECT_EQ(s.models.at("big").preset, "prefix_aware");
  EXPECT_FALSE(s.models.at("big").pipeline.has_value());
  ASSERT_TRUE(s.models.at("small").pipeline.has_value());
  EXPECT_EQ(s.models.at("small").pipeline->picker, "max_score") << "the default picker";
}

TEST(PolicyConfig, WithoutThemThePresetStands) {
  auto config = load_text("scheduler:\n  policy: p2c\n");
  ASSERT_TRUE(config.is_ok());
  EXPECT_FALSE(config->scheduler.pipeline.has_value());
  EXPECT_TRUE(config->scheduler.models.empty());
}

TEST(PolicyConfig, ErrorsNameTheKey) {
  EXPECT_EQ(error_of(load_text("scheduler:\n  pipeline: dynamic\n")),
            "app.yaml:2: scheduler.pipeline: expected a map with filters, scorers and picker");
  EXPECT_EQ(error_of(load_text("scheduler:\n  pipeline:\n    scorer: {a: 1}\n")),
            "app.yaml:3: scheduler.pipeline.scorer: unknown key (did you mean 'scorers'?)");
  const std::string weight =
      error_of(load_text("scheduler:\n  pipeline:\n    scorers: {queue_depth: -1}\n"));
  EXPECT_NE(weight.find("scheduler.pipeline.scorers.queue_depth"), std::string::npos) << weight;
}

TEST(PolicyConfig, RoundTripsThroughYaml) {
  auto config = load_text(kComposed);
  ASSERT_TRUE(config.is_ok());
  auto again = load_text(to_yaml(*config));
  ASSERT_TRUE(again.is_ok()) << again.status().message() << "\n" << to_yaml(*config);
  EXPECT_EQ(again->scheduler, config->scheduler);
}

}  // namespace
}  // namespace autoglm::config
