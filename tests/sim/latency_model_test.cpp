#include "sim/latency_model.hpp"

#include <gtest/gtest.h>

namespace autoglm::sim {
namespace {

LatencyModel builtin(const char* name) {
  auto profile = find_profile(name);
  EXPECT_TRUE(profile.is_ok()) << name;
  return LatencyModel(profile.value());
}

// Within ±15% of the published figure, as LATENCY_MODEL.md's table allows.
void expect_near_figure(double actual, double figure, const char* what) {
  EXPECT_NEAR(actual, figure, 0.15 * figure) << what << " = " << actual << " ms, figure " << figure;
}

TEST(LatencyModelTest, IterationFollowsTheFormula) {
  GpuProfile p;
  p.linear_fixed_ms = 10;
  p.linear_per_token_ms = 0.04;
  p.linear_saturated_ms = 0.07;
  p.prefill_attn_ms = 1e-6;
  p.decode_attn_ms = 1e-4;
  p.head_ms = 0.5;
  p.cpu_overhead_ms = 1;
  const LatencyModel model(p);
  EXPECT_EQ(model.iteration_ms({}), 0.0);

  BatchShape small{.prefill_tokens = 100, .prefill_attention_pairs = 5000,
                   .decode_sequences = 4, .decode_context_tokens = 2000};
  // T_lin(104) = max(10 + 4.16, 7.28) = 14.16; attention 0.005 + 0.2; overheads 1.5.
  EXPECT_NEAR(model.iteration_ms(small), 14.16 + 0.005 + 0.2 + 1.5, 1e-9);

  BatchShape large{.prefill_tokens = 1000, .prefill_attention_pairs = 0,
                   .decode_sequences = 0, .decode_context_tokens = 0};
  // Past the knee: T_lin(1000) = max(50, 70) = 70.
  EXPECT_NEAR(model.iteration_ms(large), 70 + 1.5, 1e-9);
}

TEST(LatencyModelTest, PrefillPairsCountHalfTheChunkSquare) {
  EXPECT_DOUBLE_EQ(LatencyModel::prefill_pairs(512, 0), 512.0 * 256.0);
  EXPECT_DOUBLE_EQ(LatencyModel::prefill_pairs(100, 1000), 100.0 * 1050.0);
}

TEST(LatencyModelTest, A100MatchesPublishedFigures) {
  const LatencyModel m = builtin("a100-80gb-8b");
  expect_near_figure(m.ttft_ms(512), 37, "TTFT 512");
  expect_near_figure(m.ttft_ms(1024), 72, "TTFT 1k");
  expect_near_figure(m.ttft_ms(2048), 145, "TTFT 2k");
  expect_near_figure(m.ttft_ms(4096), 300, "TTFT 4k");
  expect_near_figure(m.ttft_ms(8192), 650, "TTFT 8k");
  expect_near_figure(m.ttft_ms(4096, 3686), 34, "TTFT 4k 90% cached");
  expect_near_figure(m.tpot_ms(1, 1024), 12, "TPOT batch 1");
  expect_near_figure(m.tpot_ms(32, 1024), 16, "TPOT batch 32");
  expect_near_figure(m.tpot_ms(64, 1024), 21, "TPOT batch 64");
  expect_near_figure(m.tpot_ms(128, 1024), 30, "TPOT batch 128");
  expect_near_figure(m.tpot_ms(256, 1024), 48, "TPOT batch 256");
}

TEST(LatencyModelTest, H100MatchesPublishedEstimates) {
  const LatencyModel m = builtin("h100-80gb-8b");
  expect_near_figure(m.ttft_ms(512), 15, "TTFT 512");
  expect_near_figure(m.ttft_ms(1024), 25, "TTFT 1k");
  expect_near_figure(m.ttft_ms(2048), 49, "TTFT 2k");
  expect_near_figure(m.ttft_ms(4096), 100, "TTFT 4k");
  expect_near_figure(m.ttft_ms(8192), 215, "TTFT 8k");
  expect_near_figure(m.ttft_ms(4096, 3686), 15, "TTFT 4k 90% cached");
  expect_near_figure(m.tpot_ms(1, 1024), 7.6, "TPOT batch 1");
  expect_near_figure(m.tpot_ms(32, 1024), 10, "TPOT batch 32");
  expect_near_figure(m.tpot_ms(64, 1024), 12.5, "TPOT batch 64");
  expect_near_figure(m.tpot_ms(128, 1024), 17.4, "TPOT batch 128");
  expect_near_figure(m.tpot_ms(256, 1024), 27, "TPOT batch 256");
}

TEST(LatencyModelTest, Llama70BOnTwoA100sMatchesSplitwiseFigures) {
  const LatencyModel m = builtin("a100-80gb-70b-tp2");
  expect_near_figure(m.tpot_ms(1, 1024), 55, "decode batch 1");
  expect_near_figure(m.tpot_ms(32, 1024), 72, "decode batch 32");
  expect_near_figure(m.ttft_ms(1024) / 1024, 0.36, "prefill ms/token at 1k");
  expect_near_figure(m.ttft_ms(4096) / 4096, 0.36, "prefill ms/token at 4k");
}

TEST(LatencyModelTest, SlowerGpusAreSlowerInBothPhases) {
  const LatencyModel a100 = builtin("a100-80gb-8b");
  const LatencyModel l40s = builtin("l40s-48gb-8b");
  const LatencyModel l4 = builtin("l4-24gb-8b");
  // Decode is bandwidth-bound: L40S has 42% and L4 15% of the A100's bandwidth.
  EXPECT_GT(l40s.tpot_ms(1, 1024), 2 * a100.tpot_ms(1, 1024));
  EXPECT_GT(l4.tpot_ms(1, 1024), 5 * a100.tpot_ms(1, 1024));
  // Long prefill is compute-bound: the L40S has slightly more bf16 throughput.
  EXPECT_LT(l40s.ttft_ms(8192), a100.ttft_ms(8192));
  EXPECT_GT(l4.ttft_ms(8192), 2 * a100.ttft_ms(8192));
}

TEST(LatencyModelTest, LongPromptsAreChunkedByTheTokenBudget) {
  const LatencyModel l4 = builtin("l4-24gb-8b");  // 2048 tokens per iteration
  BatchShape first{.prefill_tokens = 2048,
                   .prefill_attention_pairs = LatencyModel::prefill_pairs(2048, 0)};
  BatchShape second{.prefill_tokens = 952,
                    .prefill_attention_pairs = LatencyModel::prefill_pairs(952, 2048)};
  EXPECT_DOUBLE_EQ(l4.ttft_ms(3000), l4.iteration_ms(first) + l4.iteration_ms(second));
}

TEST(LatencyModelTest, CachedPromptsStillComputeTheLastToken) {
  const LatencyModel m = builtin("a100-80gb-8b");
  EXPECT_DOUBLE_EQ(m.ttft_ms(1000, 1000), m.ttft_ms(1000, 999));
  EXPECT_LT(m.ttft_ms(1000, 999), m.ttft_ms(1000, 0));
  EXPECT_EQ(m.ttft_ms(0), 0.0);
}

}  // namespace
}  // namespace autoglm::sim
