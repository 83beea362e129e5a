#include "simnode/metrics_text.hpp"

#include <gtest/gtest.h>

#include "monitor/backend_metrics.hpp"

namespace autoglm::simnode {
namespace {

TEST(VllmMetrics, UsesVllmNames) {
  sim::EngineStats stats;
  stats.running = 3;
  stats.waiting = 2;
  stats.kv_used_tokens = 50;
  stats.kv_capacity_tokens = 100;
  std::string text = render_vllm_metrics(stats, "m");
  EXPECT_NE(text.find("vllm:num_requests_running{model_name=\"m\"} 3"), std::string::npos) << text;
  EXPECT_NE(text.find("vllm:num_requests_waiting{model_name=\"m\"} 2"), std::string::npos);
  EXPECT_NE(text.find("vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.5"), std::string::npos);
  EXPECT_NE(text.find("# TYPE vllm:generation_tokens_total counter"), std::string::npos);
}

TEST(VllmMetrics, GpuMemoryIsLeftOutWhenTheProfileHasNone) {
  const std::string text = render_vllm_metrics(sim::EngineStats{}, "m");
  EXPECT_EQ(text.find("gpu_memory"), std::string::npos) << text;
}

// What a simnode writes is what the gateway's monitor reads: as a simnode, with the
// memory in bytes that elastic vision batching sizes batches from.
TEST(VllmMetrics, TheGatewaysParserReadsTheSimulatedGpuMemory) {
  const sim::GpuProfile h100 = *sim::find_profile("h100-80gb-8b");
  sim::EngineStats stats;
  stats.running = 2;
  stats.kv_used_tokens = 1536;  // two image prompts of 765 tokens, in 16-token blocks
  stats.kv_capacity_tokens = h100.kv_capacity_tokens;
  const auto memory = sim::gpu_memory(h100, stats.kv_used_tokens);
  const auto parsed = monitor::parse_backend_metrics(render_vllm_metrics(stats, "m", memory));
  EXPECT_EQ(parsed.flavour, monitor::BackendFlavour::kSimnode);
  EXPECT_EQ(parsed.running, 2);
  EXPECT_DOUBLE_EQ(parsed.gpu_mem_used_bytes, static_cast<double>(memory->used_bytes));
  EXPECT_DOUBLE_EQ(parsed.gpu_mem_total_bytes, 80.0 * (1LL << 30));
}

}  // namespace
}  // namespace autoglm::simnode
