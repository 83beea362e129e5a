#include "sched/feedback.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace autoglm::sched {
namespace {

using namespace std::chrono_literals;

TEST(Feedback, SampleDerivesTimePerOutputToken) {
  auto s = latency_sample(200ms, 1200ms, 11);
  EXPECT_DOUBLE_EQ(s.ttft_ms, 200);
  EXPECT_DOUBLE_EQ(s.e2e_ms, 1200);
  EXPECT_DOUBLE_EQ(s.tpot_ms, 100);                                  // 1000 ms over 10 decode steps
  EXPECT_DOUBLE_EQ(latency_sample(200ms, 1200ms, 0).tpot_ms, 1000);  // at least one step
}

TEST(Feedback, FirstSampleIsTakenAsIsThenEwma) {
  core::NodeFeedback fb;
  record_sample(fb, LatencySample{100, 10, 1000}, 0.2);
  EXPECT_DOUBLE_EQ(fb.ttft_ms, 100);
  EXPECT_EQ(fb.samples, 1);
  record_sample(fb, LatencySample{200, 20, 2000}, 0.2);
  EXPECT_DOUBLE_EQ(fb.ttft_ms, 120);
  EXPECT_DOUBLE_EQ(fb.tpot_ms, 12);
  EXPECT_DOUBLE_EQ(fb.e2e_ms, 1200);
  EXPECT_EQ(fb.samples, 2);
}

TEST(Feedback, LatencyWeightIsTheSeedFormula) {
  EXPECT_DOUBLE_EQ(latency_weight(3.0, 1.0), 300);
  EXPECT_DOUBLE_EQ(latency_weight(3.0, 3.0), 100);
  EXPECT_DOUBLE_EQ(latency_weight(3.0, 5.0), 10);  // floor
}

TEST(Feedback, WeightsAreNormalisedToTheBestNode) {
  std::vector<core::NodeView> nodes(3);
  nodes[0].feedback.e2e_ms = 1000;
  nodes[0].feedback.samples = 4;
  nodes[1].feedback.e2e_ms = 3000;
  nodes[1].feedback.samples = 4;
  // nodes[2] has no samples yet
  recompute_weights(nodes);
  EXPECT_DOUBLE_EQ(nodes[0].feedback.weight, 1.0);
  EXPECT_DOUBLE_EQ(nodes[1].feedback.weight, 100.0 / 300.0);
  EXPECT_DOUBLE_EQ(nodes[2].feedback.weight, 1.0);
}

}  // namespace
}  // namespace autoglm::sched
