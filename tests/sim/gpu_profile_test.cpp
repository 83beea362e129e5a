#include "sim/gpu_profile.hpp"

#include <gtest/gtest.h>

#include <string>

namespace autoglm::sim {
namespace {

const char* kGood = R"(
name: test-gpu
gpu: TEST-1
model: tiny
num_gpus: 2
linear_fixed_ms: 10
linear_per_token_ms: 0.04
linear_saturated_ms: 0.07
prefill_attn_ms: 3e-6
decode_attn_ms: 1e-4
head_ms: 0.5
cpu_overhead_ms: 0
max_batch: 64
max_batched_tokens: 1024
kv_capacity_tokens: 4096
block_size: 32
prefix_caching: false
gpu_memory_gib: 1
weights_gib: 0.25
kv_bytes_per_token: 4096
source: made up for a test
)";

// kGood with the line holding `key` replaced by `replacement` (empty: removed).
std::string with_line(const std::string& key, const std::string& replacement) {
  std::string text = kGood;
  const auto start = text.find("\n" + key + ":") + 1;
  const auto end = text.find('\n', start);
  return text.replace(start, end - start, replacement);
}

TEST(GpuProfileTest, ParsesEveryField) {
  auto p = parse_profile(kGood, "test.yaml");
  ASSERT_TRUE(p.is_ok()) << p.status().message();
  EXPECT_EQ(p->name, "test-gpu");
  EXPECT_EQ(p->gpu, "TEST-1");
  EXPECT_EQ(p->model, "tiny");
  EXPECT_EQ(p->num_gpus, 2);
  EXPECT_DOUBLE_EQ(p->linear_fixed_ms, 10);
  EXPECT_DOUBLE_EQ(p->linear_per_token_ms, 0.04);
  EXPECT_DOUBLE_EQ(p->linear_saturated_ms, 0.07);
  EXPECT_DOUBLE_EQ(p->prefill_attn_ms, 3e-6);
  EXPECT_DOUBLE_EQ(p->decode_attn_ms, 1e-4);
  EXPECT_DOUBLE_EQ(p->head_ms, 0.5);
  EXPECT_DOUBLE_EQ(p->cpu_overhead_ms, 0);
  EXPECT_EQ(p->max_batch, 64);
  EXPECT_EQ(p->max_batched_tokens, 1024);
  EXPECT_EQ(p->kv_capacity_tokens, 4096);
  EXPECT_EQ(p->block_size, 32);
  EXPECT_FALSE(p->prefix_caching);
  EXPECT_DOUBLE_EQ(p->gpu_memory_gib, 1);
  EXPECT_DOUBLE_EQ(p->weights_gib, 0.25);
  EXPECT_EQ(p->kv_bytes_per_token, 4096);
  EXPECT_EQ(p->source, "made up for a test");
}

TEST(GpuProfileTest, OptionalFieldsDefault) {
  std::string text = kGood;
  for (const char* key :
       {"num_gpus", "max_batch", "max_batched_tokens", "block_size", "prefix_caching",
        "gpu_memory_gib", "weights_gib", "kv_bytes_per_token"}) {
    const auto start = text.find(std::string("\n") + key + ":") + 1;
    text.erase(start, text.find('\n', start) - start + 1);
  }
  auto p = parse_profile(text, "test.yaml");
  ASSERT_TRUE(p.is_ok()) << p.status().message();
  EXPECT_EQ(p->num_gpus, 1);
  EXPECT_EQ(p->max_batch, 256);
  EXPECT_EQ(p->max_batched_tokens, 8192);
  EXPECT_EQ(p->block_size, 16);
  EXPECT_TRUE(p->prefix_caching);
  EXPECT_DOUBLE_EQ(p->gpu_memory_gib, 0);  // no memory figures: the node reports none
}

TEST(GpuProfileTest, MemoryFieldsComeTogether) {
  auto p = parse_profile(with_line("weights_gib", ""), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().param(), "weights_gib");
}

TEST(GpuProfileTest, AFullKvCacheMustFitBesideTheWeights) {
  // 4096 tokens x 4096 bytes = 16 MiB of KV fits beside 0.25 GiB in 2 x 1 GiB; 500k (1.9 GiB) do
  // not.
  auto p =
      parse_profile(with_line("kv_capacity_tokens", "kv_capacity_tokens: 500000"), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().param(), "kv_capacity_tokens");
  EXPECT_NE(p.status().message().find("more than the 2 x 1 GiB"), std::string::npos)
      << p.status().message();
}

TEST(GpuProfileTest, MissingFieldIsNamed) {
  auto p = parse_profile(with_line("decode_attn_ms", ""), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(p.status().param(), "decode_attn_ms");
  EXPECT_EQ(p.status().message(), "test.yaml:2: missing field 'decode_attn_ms'");
}

TEST(GpuProfileTest, MissingSourceIsAnError) {
  auto p = parse_profile(with_line("source", ""), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().param(), "source");
}

TEST(GpuProfileTest, WrongTypeNamesLineAndField) {
  auto p = parse_profile(with_line("head_ms", "head_ms: fast"), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().message(), "test.yaml:11: head_ms: expected a number, got 'fast'");

  p = parse_profile(with_line("max_batch", "max_batch: 1.5"), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().param(), "max_batch");
  EXPECT_NE(p.status().message().find("expected an integer"), std::string::npos);

  p = parse_profile(with_line("name", "name: [a, b]"), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().param(), "name");

  p = parse_profile(with_line("prefix_caching", "prefix_caching: maybe"), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().param(), "prefix_caching");
}

TEST(GpuProfileTest, NonPositiveValuesAreRejected) {
  for (const char* line : {"linear_fixed_ms: 0", "linear_saturated_ms: -0.1",
                           "kv_capacity_tokens: 0", "block_size: -16", "max_batch: 0",
                           "num_gpus: 0", "head_ms: -1"}) {
    const std::string key = std::string(line).substr(0, std::string(line).find(':'));
    auto p = parse_profile(with_line(key, line), "test.yaml");
    ASSERT_FALSE(p.is_ok()) << line;
    EXPECT_EQ(p.status().param(), key);
    EXPECT_NE(p.status().message().find("must be"), std::string::npos) << p.status().message();
  }
}

TEST(GpuProfileTest, ZeroOverheadsAreAllowed) {
  auto p = parse_profile(with_line("head_ms", "head_ms: 0"), "test.yaml");
  EXPECT_TRUE(p.is_ok()) << p.status().message();
}

TEST(GpuProfileTest, UnknownKeyGetsASuggestion) {
  auto p = parse_profile(std::string(kGood) + "linear-fixed-ms: 3\n", "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().message(),
            "test.yaml:22: linear-fixed-ms: unknown key (did you mean 'linear_fixed_ms'?)");
}

TEST(GpuProfileTest, CapacityBelowOneBlockIsRejected) {
  auto p = parse_profile(with_line("kv_capacity_tokens", "kv_capacity_tokens: 8"), "test.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().param(), "kv_capacity_tokens");
}

TEST(GpuProfileTest, SyntaxErrorsAndNonMapsAreRejected) {
  auto p = parse_profile("name: [unclosed", "bad.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().message().rfind("bad.yaml:", 0), 0u);

  p = parse_profile("- a\n- b\n", "list.yaml");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().message(), "list.yaml: expected a map of profile fields");
}

TEST(GpuProfileTest, AllBuiltinProfilesLoad) {
  const auto& profiles = builtin_profiles();
  ASSERT_EQ(profiles.size(), 5u);
  for (const char* name : {"a100-80gb-70b-tp2", "a100-80gb-8b", "h100-80gb-8b", "l40s-48gb-8b",
                           "l4-24gb-8b"}) {
    auto p = find_profile(name);
    ASSERT_TRUE(p.is_ok()) << name;
    EXPECT_EQ(p->name, name);
    EXPECT_FALSE(p->source.empty());
    EXPECT_EQ(p->block_size, 16);
    EXPECT_EQ(p->kv_capacity_tokens % p->block_size, 0) << name;
  }
}

TEST(GpuProfileTest, BuiltinCapacitiesFollowMemory) {
  EXPECT_EQ(find_profile("a100-80gb-8b")->kv_capacity_tokens, 450000);
  EXPECT_GT(find_profile("l40s-48gb-8b")->kv_capacity_tokens, 150000);
  const auto l4 = find_profile("l4-24gb-8b");
  EXPECT_GE(l4->kv_capacity_tokens, 40000);
  EXPECT_LE(l4->kv_capacity_tokens, 50000);
  EXPECT_EQ(l4->max_batch, 128);
  EXPECT_EQ(l4->max_batched_tokens, 2048);
  EXPECT_EQ(find_profile("a100-80gb-70b-tp2")->num_gpus, 2);
}

TEST(GpuProfileTest, UnknownProfileListsKnownNames) {
  auto p = find_profile("tpu-v5");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(p.status().message().find("a100-80gb-70b-tp2, a100-80gb-8b, h100-80gb-8b"), std::string::npos)
      << p.status().message();
}

}  // namespace
}  // namespace autoglm::sim
