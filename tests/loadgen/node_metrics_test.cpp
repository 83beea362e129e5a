#include "loadgen/node_metrics.hpp"

#include <gtest/gtest.h>

namespace autoglm::loadgen {
namespace {

TEST(ReadNodeSample, ReadsVllmGauges) {
  const auto s = read_node_sample(
      "# TYPE vllm:num_requests_running gauge\n"
      "vllm:num_requests_running{model_name=\"m\"} 3\n"
      "vllm:num_requests_waiting{model_name=\"m\"} 2\n"
      "vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.25\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->running, 3);
  EXPECT_EQ(s->waiting, 2);
  EXPECT_EQ(s->kv_usage, 0.25);
}

TEST(ReadNodeSample, NothingKnownIsNothing) { EXPECT_FALSE(read_node_sample("other_metric 1\n")); }

TEST(SummarizeNode, BusyShareIsTheShareOfSamplesWithWork) {
  const auto n =
      summarize_node("http://x/metrics", {{0, 0, 0}, {2, 1, 0.5}, {1, 0, 0.1}, {0, 3, 0.2}}, 1);
  EXPECT_EQ(n.samples, 4u);
  EXPECT_EQ(n.failures, 1u);
  EXPECT_DOUBLE_EQ(n.busy_share, 0.5);
  EXPECT_DOUBLE_EQ(n.mean_running, 0.75);
  EXPECT_DOUBLE_EQ(n.mean_waiting, 1);
  EXPECT_DOUBLE_EQ(n.mean_kv_usage, 0.2);
}

}  // namespace
}  // namespace autoglm::loadgen
