#include "sim/gpu_memory.hpp"

#include <gtest/gtest.h>

namespace autoglm::sim {
namespace {

constexpr std::int64_t kGiB = 1LL << 30;

TEST(GpuMemoryTest, IdleNodeHoldsOnlyTheWeights) {
  const GpuProfile h100 = *find_profile("h100-80gb-8b");
  const auto m = gpu_memory(h100, 0);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->total_bytes, 80 * kGiB);
  EXPECT_NEAR(static_cast<double>(m->used_bytes) / kGiB, 14.96, 1e-6);
  EXPECT_EQ(m->free_bytes(), m->total_bytes - m->used_bytes);
}

TEST(GpuMemoryTest, KvInUseAddsItsBytesPerToken) {
  const GpuProfile h100 = *find_profile("h100-80gb-8b");
  const auto idle = gpu_memory(h100, 0);
  // One image prompt on a simnode: 765 tokens, reserved as 48 blocks of 16 = 768 tokens.
  const auto busy = gpu_memory(h100, 768);
  EXPECT_EQ(busy->used_bytes - idle->used_bytes, 768 * 128 * 1024);
  EXPECT_EQ(busy->total_bytes, idle->total_bytes);
}

TEST(GpuMemoryTest, TensorParallelNodesSumTheirGpus) {
  const GpuProfile tp2 = *find_profile("a100-80gb-70b-tp2");
  const auto m = gpu_memory(tp2, tp2.kv_capacity_tokens);
  EXPECT_EQ(m->total_bytes, 160 * kGiB);
  // Weights and a full KV cache leave room, as the profile check demands.
  EXPECT_GT(m->free_bytes(), 0);
  EXPECT_LT(m->free_bytes(), 30 * kGiB);
}

TEST(GpuMemoryTest, EveryBuiltinProfileFitsAFullKvCache) {
  for (const GpuProfile& p : builtin_profiles()) {
    const auto m = gpu_memory(p, p.kv_capacity_tokens);
    ASSERT_TRUE(m.has_value()) << p.name;
    EXPECT_LE(m->used_bytes, m->total_bytes) << p.name;
  }
}

TEST(GpuMemoryTest, AProfileWithoutMemoryFiguresReportsNone) {
  GpuProfile p = *find_profile("h100-80gb-8b");
  p.gpu_memory_gib = 0;
  EXPECT_FALSE(gpu_memory(p, 100).has_value());
}

}  // namespace
}  // namespace autoglm::sim
