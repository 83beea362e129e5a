#include "monitor/backend_metrics.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace autoglm::monitor {
namespace {

BackendMetrics fixture(const char* name) {
  return parse_backend_metrics(testing::read_fixture(name));
}

TEST(BackendMetrics, VllmV0) {
  auto m = fixture("vllm_v0.txt");
  EXPECT_EQ(m.flavour, BackendFlavour::kVllm);
  EXPECT_EQ(m.running, 0);
  EXPECT_EQ(m.waiting, 0);
  EXPECT_DOUBLE_EQ(m.kv_cache_usage, 0.0);
  EXPECT_LT(m.prefix_cache_hit_rate, 0) << "vLLM's -1 means no prefix caching: unknown";
  EXPECT_DOUBLE_EQ(m.prompt_tokens_total, 148);
  EXPECT_DOUBLE_EQ(m.generation_tokens_total, 955);
  EXPECT_DOUBLE_EQ(m.preemptions_total, 0);
}

TEST(BackendMetrics, VllmV1UsesKvCacheUsagePercAndIgnoresCreatedTimestamps) {
  auto m = fixture("vllm_v1.txt");
  EXPECT_EQ(m.flavour, BackendFlavour::kVllm);
  EXPECT_EQ(m.running, 0);
  EXPECT_EQ(m.waiting, 0);
  EXPECT_DOUBLE_EQ(m.kv_cache_usage, 0.0);
  EXPECT_DOUBLE_EQ(m.prompt_tokens_total, 0.0) << "not the _created timestamp";
  EXPECT_LT(m.prefix_cache_hit_rate, 0) << "no queries yet: no ratio";
}

TEST(BackendMetrics, VllmPrefersTheNewKvNameAndSumsEngines) {
  auto m = parse_backend_metrics(
      "vllm:num_requests_running{engine=\"0\",model_name=\"m\"} 3\n"
      "vllm:num_requests_running{engine=\"1\",model_name=\"m\"} 4\n"
      "vllm:num_requests_waiting{engine=\"0\",model_name=\"m\"} 1\n"
      "vllm:num_requests_waiting{engine=\"1\",model_name=\"m\"} 2\n"
      "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.2\n"
      "vllm:kv_cache_usage_perc{engine=\"1\",model_name=\"m\"} 0.6\n"
      "vllm:gpu_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.9\n"
      "vllm:prefix_cache_queries_total{engine=\"0\",model_name=\"m\"} 1000\n"
      "vllm:prefix_cache_hits_total{engine=\"0\",model_name=\"m\"} 250\n"
      "vllm:cache_config_info{block_size=\"16\"} 1\n");
  EXPECT_EQ(m.flavour, BackendFlavour::kVllm);
  EXPECT_EQ(m.running, 7);
  EXPECT_EQ(m.waiting, 3);
  EXPECT_DOUBLE_EQ(m.kv_cache_usage, 0.4);
  EXPECT_DOUBLE_EQ(m.prefix_cache_hit_rate, 0.25);
}

TEST(BackendMetrics, Sglang) {
  auto m = fixture("sglang.txt");
  EXPECT_EQ(m.flavour, BackendFlavour::kSglang);
  EXPECT_EQ(m.running, 162);
  EXPECT_EQ(m.waiting, 2826);
  EXPECT_DOUBLE_EQ(m.kv_cache_usage, 0.28);
  EXPECT_NEAR(m.prefix_cache_hit_rate, 0.0075, 1e-4);
  EXPECT_DOUBLE_EQ(m.prompt_tokens_total, 8.128902e6);
  EXPECT_NEAR(m.generation_tokens_per_s, 86.5, 0.01);
}

TEST(BackendMetrics, SglangTensorParallelRanksAreOneEngine) {
  auto m = parse_backend_metrics(
      "sglang:num_running_reqs{model_name=\"m\",tp_rank=\"0\"} 5\n"
      "sglang:num_running_reqs{model_name=\"m\",tp_rank=\"1\"} 5\n"
      "sglang:num_queue_reqs{model_name=\"m\",tp_rank=\"0\"} 2\n");
  EXPECT_EQ(m.running, 5);
  EXPECT_EQ(m.waiting, 2);
  EXPECT_LT(m.kv_cache_usage, 0);
}

TEST(BackendMetrics, LlamaCpp) {
  auto m = fixture("llamacpp.txt");
  EXPECT_EQ(m.flavour, BackendFlavour::kLlamaCpp);
  EXPECT_EQ(m.running, 0);
  EXPECT_EQ(m.waiting, 0);
  EXPECT_DOUBLE_EQ(m.kv_cache_usage, 0.491063);
  EXPECT_DOUBLE_EQ(m.generation_tokens_total, 3469);
}

TEST(BackendMetrics, NewerLlamaCppWithoutKvGaugeLeavesItUnknown) {
  auto m = parse_backend_metrics(
      "# TYPE llamacpp:requests_processing gauge\nllamacpp:requests_processing 2\n"
      "llamacpp:requests_deferred 5\nllamacpp:n_busy_slots_per_decode 1\n");
  EXPECT_EQ(m.flavour, BackendFlavour::kLlamaCpp);
  EXPECT_EQ(m.running, 2);
  EXPECT_EQ(m.waiting, 5);
  EXPECT_LT(m.kv_cache_usage, 0);
}

TEST(BackendMetrics, SimnodeIsDetectedByItsFamiliesOrServerHeader) {
  auto m = fixture("simnode.txt");
  EXPECT_EQ(m.flavour, BackendFlavour::kSimnode);
  EXPECT_EQ(m.running, 3);
  EXPECT_EQ(m.waiting, 0);
  EXPECT_DOUBLE_EQ(m.kv_cache_usage, 0.00032);
  EXPECT_DOUBLE_EQ(m.generation_tokens_total, 118);
  // 14.96 GiB of weights plus 144 tokens of KV at 128 KiB, of 80 GiB.
  EXPECT_DOUBLE_EQ(m.gpu_mem_used_bytes, 16082052055);
  EXPECT_DOUBLE_EQ(m.gpu_mem_total_bytes, 85899345920);
  auto header = parse_backend_metrics(testing::read_fixture("vllm_v0.txt"), "autoglm");
  EXPECT_EQ(header.flavour, BackendFlavour::kSimnode);
}

TEST(BackendMetrics, OnlyASimnodesGpuMemoryReachesTheNodeMetrics) {
  core::NodeMetrics node;
  node.gpu_mem_used = 1;  // an agent's NVML figure, say
  node.gpu_mem_total = 2;
  apply_backend_metrics(fixture("vllm_v1.txt"), core::Time{0}, node);
  EXPECT_EQ(node.gpu_mem_used, 1);  // vLLM reports no memory: left as it was
  EXPECT_EQ(node.gpu_mem_total, 2);
  apply_backend_metrics(fixture("simnode.txt"), core::Time{0}, node);
  EXPECT_EQ(node.gpu_mem_used, 16082052055);
  EXPECT_EQ(node.gpu_mem_total, 85899345920);
}

TEST(BackendMetrics, UnknownPageReportsNothing) {
  auto m = parse_backend_metrics("process_cpu_seconds_total 12\n");
  EXPECT_EQ(m.flavour, BackendFlavour::kUnknown);
  EXPECT_FALSE(m.any());
  EXPECT_EQ(m.running, -1);
}

TEST(BackendMetrics, ApplyFillsOnlyReportedFields) {
  core::NodeMetrics node;
  node.gpu_util = 0.5;
  node.kv_cache_usage = 0.9;
  BackendMetrics m;
  m.running = 4;
  apply_backend_metrics(m, core::Time{std::chrono::seconds(3)}, node);
  EXPECT_EQ(node.backend_running, 4);
  EXPECT_EQ(node.backend_waiting, -1);
  EXPECT_DOUBLE_EQ(node.kv_cache_usage, 0.9) << "not reported: left as it was";
  EXPECT_DOUBLE_EQ(node.gpu_util, 0.5);
  EXPECT_EQ(node.updated_at, core::Time{std::chrono::seconds(3)});
}

TEST(BackendMetrics, FlavourNamesRoundTrip) {
  for (auto f : {BackendFlavour::kVllm, BackendFlavour::kSglang, BackendFlavour::kLlamaCpp,
                 BackendFlavour::kSimnode, BackendFlavour::kUnknown}) {
    EXPECT_EQ(flavour_from_name(flavour_name(f)), f);
  }
}

}  // namespace
}  // namespace autoglm::monitor
