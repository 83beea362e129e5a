// The `workflow` section: defaults, every key, and its ranges.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::empty_env;

core::Result<Config> load_text(const std::string& yaml) {
  return load_from_string(yaml, "app.yaml", empty_env());
}

TEST(WorkflowConfig, DefaultsServeDurableWorkWithAThirtySecondLease) {
  auto config = load_text("");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_TRUE(config->workflow.enabled);
  EXPECT_EQ(config->workflow.step_interval, Millis(100));
  EXPECT_EQ(config->workflow.lease, Millis(30'000));
  EXPECT_EQ(config->workflow.max_in_flight, 64);
  EXPECT_EQ(config->workflow.workers, 8);
}

TEST(WorkflowConfig, EveryKeyIsRead) {
  auto config = load_text(
      "workflow:\n  enabled: false\n  step-interval: 20ms\n  lease: 2s\n  max-in-flight: 5\n"
      "  workers: 2\n");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->workflow, (WorkflowConfig{false, Millis(20), Millis(2'000), 5, 2}));
}

TEST(WorkflowConfig, OutOfRangeValuesNameTheKey) {
  for (const char* yaml : {"workflow:\n  lease: 10ms\n", "workflow:\n  max-in-flight: 0\n",
                           "workflow:\n  step-interval: 2m\n", "workflow:\n  workers: 0\n"}) {
    auto config = load_text(yaml);
    ASSERT_FALSE(config) << yaml;
    EXPECT_NE(config.status().message().find("workflow."), std::string::npos)
        << config.status().message();
  }
}

TEST(WorkflowConfig, VisionBatchLimitsAreReadAndRoundTrip) {
  auto config = load_text(
      "workflow:\n  vision-batch:\n    per-image-bytes: 64MiB\n    reserve-bytes: 2GiB\n"
      "    max-batch: 8\n");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->workflow.vision_per_image_bytes, 64u << 20);
  EXPECT_EQ(config->workflow.vision_reserve_bytes, 2ull << 30);
  EXPECT_EQ(config->workflow.vision_max_batch, 8);
  auto again = load_text(to_yaml(*config));
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_EQ(again->workflow, config->workflow);
  EXPECT_FALSE(load_text("workflow:\n  vision-batch:\n    max-batch: 0\n"));
  EXPECT_FALSE(load_text("workflow:\n  vision-batch:\n    per-image: 1MiB\n"));
}

}  // namespace
}  // namespace autoglm::config
