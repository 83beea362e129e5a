#include "sim/trace_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/azure_trace.hpp"

namespace autoglm::sim {
namespace {

const std::string kFixtures = std::string(AUTOGLM_SOURCE_DIR) + "/tests/sim/data/";
const std::string kSharedData = std::string(AUTOGLM_SOURCE_DIR) + "/../shared/data/";

core::Result<std::vector<TraceRecord>> read_all(TraceFormat format, const std::string& path,
                                                TraceOpenOptions options = {}) {
  auto reader = open_trace(format, path, options);
  if (!reader) return reader.status();
  std::vector<TraceRecord> out;
  TraceRecord r;
  while (true) {
    auto got = (*reader)->next(r);
    if (!got) return got.status();
    if (!*got) return out;
    out.push_back(r);
  }
}

std::string error_of(TraceFormat format, const std::string& file) {
  auto all = read_all(format, kFixtures + file);
  return all ? std::string("no error") : all.status().message();
}

// Skips the calling test when a shared trace is not there (a clone outside the workspace).
#define REQUIRE_SHARED(file)                                                                 \
  if (!std::filesystem::exists(kSharedData + (file)))                                        \
  GTEST_SKIP() << kSharedData + (file) << " is missing (../shared/data from the project root)"

TEST(TraceFormat, NamesRoundTrip) {
  for (auto f : {TraceFormat::kAzure, TraceFormat::kMooncake, TraceFormat::kBurstGpt}) {
    EXPECT_EQ(trace_format_from_name(trace_format_name(f)), f);
  }
  EXPECT_FALSE(trace_format_from_name("sharegpt"));
  EXPECT_EQ(trace_format_names(), "azure, mooncake, burstgpt");
}

TEST(AzureTrace, ParsesTimestamps) {
  std::int64_t s = 0;
  double frac = 0;
  ASSERT_TRUE(parse_azure_timestamp("1970-01-02 00:00:01.25", s, frac));
  EXPECT_EQ(s, 86401);
  EXPECT_DOUBLE_EQ(frac, 0.25);
  ASSERT_TRUE(parse_azure_timestamp("2023-11-16T18:15:46", s, frac));
  EXPECT_EQ(s, 1700158546);
  EXPECT_EQ(frac, 0);
  EXPECT_FALSE(parse_azure_timestamp("2023-11-16 18:15", s, frac));
  EXPECT_FALSE(parse_azure_timestamp("2023-13-16 18:15:46", s, frac));
  EXPECT_FALSE(parse_azure_timestamp("2023-11-16 18:15:46.x", s, frac));
}

TEST(AzureTrace, ReadsRecordsRelativeToTheFirst) {
  auto all = read_all(TraceFormat::kAzure, kFixtures + "azure_small.csv");
  ASSERT_TRUE(all) << all.status().message();
  ASSERT_EQ(all->size(), 4u);  // the blank line is skipped
  EXPECT_DOUBLE_EQ((*all)[0].arrival_s, 0.0);
  EXPECT_EQ((*all)[0].input_tokens, 374);
  EXPECT_EQ((*all)[0].output_tokens, 44);
  EXPECT_NEAR((*all)[1].arrival_s, 4.314579, 1e-6);
  EXPECT_NEAR((*all)[2].arrival_s, 13.31941, 1e-6);
  EXPECT_EQ((*all)[2].line, 5u);
  EXPECT_NEAR((*all)[3].arrival_s, 20653.81941, 1e-6);  // across midnight
  EXPECT_EQ((*all)[3].output_tokens, 0);
  EXPECT_TRUE((*all)[0].block_ids.empty());
}

TEST(AzureTrace, ErrorsNameFileLineAndField) {
  EXPECT_EQ(error_of(TraceFormat::kAzure, "azure_bad_timestamp.csv"),
            kFixtures + "azure_bad_timestamp.csv:3: TIMESTAMP: expected 'YYYY-MM-DD "
                        "HH:MM:SS.fffffff', got '2023-11-16 18:15:XX.1'");
  EXPECT_EQ(error_of(TraceFormat::kAzure, "azure_bad_tokens.csv"),
            kFixtures + "azure_bad_tokens.csv:3: ContextTokens: expected a non-negative integer, "
                        "got '-3'");
  EXPECT_EQ(error_of(TraceFormat::kAzure, "azure_missing_column.csv"),
            kFixtures + "azure_missing_column.csv:1: missing column 'ContextTokens'; the header "
                        "has 'TIMESTAMP', 'Context', 'GeneratedTokens'");
  auto missing = open_trace(TraceFormat::kAzure, kFixtures + "nope.csv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), core::ErrorCode::kNotFound);
}

TEST(AzureTrace, ReadsTheConversationTrace) {
  REQUIRE_SHARED("azure2023_AzureLLMInferenceTrace_conv.csv");
  auto all = read_all(TraceFormat::kAzure, kSharedData + "azure2023_AzureLLMInferenceTrace_conv.csv");
  ASSERT_TRUE(all) << all.status().message();
  ASSERT_EQ(all->size(), 19366u);
  double input = 0, output = 0;
  for (std::size_t i = 0; i < all->size(); ++i) {
    input += double((*all)[i].input_tokens);
    output += double((*all)[i].output_tokens);
    if (i > 0) {
      EXPECT_GE((*all)[i].arrival_s, (*all)[i - 1].arrival_s);
    }
  }
  EXPECT_NEAR(input / double(all->size()), 1155, 10);   // README: mean input 1,155
  EXPECT_NEAR(output / double(all->size()), 211, 5);    // mean output 211
  EXPECT_NEAR(all->back().arrival_s, 3500, 100);        // about an hour
}

TEST(AzureTrace, ReadsTheCodeTrace) {
  REQUIRE_SHARED("azure2023_AzureLLMInferenceTrace_code.csv");
  auto all = read_all(TraceFormat::kAzure, kSharedData + "azure2023_AzureLLMInferenceTrace_code.csv");
  ASSERT_TRUE(all) << all.status().message();
  EXPECT_EQ(all->size(), 8819u);
}

TEST(MooncakeTrace, ReadsAsWrittenWithoutSpreading) {
  auto all = read_all(TraceFormat::kMooncake, kFixtures + "mooncake_small.jsonl",
                      TraceOpenOptions{false, 1});
  ASSERT_TRUE(all) << all.status().message();
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ((*all)[1].input_tokens, 1200);
  EXPECT_EQ((*all)[1].output_tokens, 20);
  EXPECT_EQ((*all)[1].block_ids, (std::vector<std::uint64_t>{0, 2, 3}));
  EXPECT_DOUBLE_EQ((*all)[2].arrival_s, 0.0);
  EXPECT_DOUBLE_EQ((*all)[3].arrival_s, 3.0);
  EXPECT_EQ((*all)[4].line, 6u);  // after the blank line
}

TEST(MooncakeTrace, SpreadsEachStepUniformlyAndKeepsOrder) {
  auto all = read_all(TraceFormat::kMooncake, kFixtures + "mooncake_small.jsonl",
                      TraceOpenOptions{true, 7});
  ASSERT_TRUE(all) << all.status().message();
  ASSERT_EQ(all->size(), 6u);
  // Step at 0 s (3 records) spreads over [0, 3); the lone record at 3 s stays; the last
  // step (2 records at 6 s) reuses the previous width, 3 s.
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE((*all)[i].arrival_s, 0.0);
    EXPECT_LT((*all)[i].arrival_s, 3.0);
  }
  EXPECT_LE((*all)[0].arrival_s, (*all)[1].arrival_s);
  EXPECT_LE((*all)[1].arrival_s, (*all)[2].arrival_s);
  EXPECT_EQ((*all)[0].input_tokens, 1000);  // file order kept
  EXPECT_DOUBLE_EQ((*all)[3].arrival_s, 3.0);
  EXPECT_GE((*all)[4].arrival_s, 6.0);
  EXPECT_LT((*all)[5].arrival_s, 9.0);

  auto again = read_all(TraceFormat::kMooncake, kFixtures + "mooncake_small.jsonl",
                        TraceOpenOptions{true, 7});
  auto other = read_all(TraceFormat::kMooncake, kFixtures + "mooncake_small.jsonl",
                        TraceOpenOptions{true, 8});
  for (std::size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*again)[i].arrival_s, (*all)[i].arrival_s);
  }
  EXPECT_NE((*other)[0].arrival_s, (*all)[0].arrival_s);
}

TEST(MooncakeTrace, ErrorsNameFileLineAndField) {
  EXPECT_EQ(error_of(TraceFormat::kMooncake, "mooncake_bad.jsonl"),
            kFixtures + "mooncake_bad.jsonl:2: missing field 'output_length'");
  const std::string json = error_of(TraceFormat::kMooncake, "mooncake_bad_json.jsonl");
  EXPECT_EQ(json.rfind(kFixtures + "mooncake_bad_json.jsonl:3: invalid JSON", 0), 0u) << json;
}

TEST(MooncakeTrace, ReadsTheConversationTraceSpreadingItsSteps) {
  REQUIRE_SHARED("mooncake_conversation_trace.jsonl");
  auto all = read_all(TraceFormat::kMooncake, kSharedData + "mooncake_conversation_trace.jsonl");
  ASSERT_TRUE(all) << all.status().message();
  ASSERT_EQ(all->size(), 12031u);
  std::size_t distinct_times = 0;
  for (std::size_t i = 0; i < all->size(); ++i) {
    const TraceRecord& r = (*all)[i];
    EXPECT_EQ(r.block_ids.size(), std::size_t((r.input_tokens + 511) / 512)) << r.line;
    if (i > 0) {
      EXPECT_GE(r.arrival_s, (*all)[i - 1].arrival_s) << r.line;
      distinct_times += r.arrival_s != (*all)[i - 1].arrival_s;
    }
  }
  // Written in ~1,180 steps of 3 s; spread, nearly every arrival has its own time.
  EXPECT_GT(distinct_times, 11000u);
  EXPECT_NEAR(all->back().arrival_s, 3537, 4);
}

TEST(MooncakeTrace, ReadsTheSyntheticTrace) {
  REQUIRE_SHARED("mooncake_synthetic_trace.jsonl");
  auto all = read_all(TraceFormat::kMooncake, kSharedData + "mooncake_synthetic_trace.jsonl");
  ASSERT_TRUE(all) << all.status().message();
  EXPECT_EQ(all->size(), 3993u);
}

TEST(BurstGptTrace, ReadsColumnsByNameAndQuotedFields) {
  auto all = read_all(TraceFormat::kBurstGpt, kFixtures + "burstgpt_small.csv",
                      TraceOpenOptions{false, 1});
  ASSERT_TRUE(all) << all.status().message();
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].model, "ChatGPT");
  EXPECT_EQ((*all)[0].input_tokens, 472);
  EXPECT_EQ((*all)[0].output_tokens, 18);
  EXPECT_EQ((*all)[2].output_tokens, 0);  // a failed call, kept as written
  EXPECT_EQ((*all)[3].model, "GPT-4");
  EXPECT_DOUBLE_EQ((*all)[3].arrival_s, 1.0);
  EXPECT_DOUBLE_EQ((*all)[4].arrival_s, 4.0);
}

TEST(BurstGptTrace, SpreadsWholeSecondsByDefault) {
  auto all = read_all(TraceFormat::kBurstGpt, kFixtures + "burstgpt_small.csv");
  ASSERT_TRUE(all) << all.status().message();
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE((*all)[i].arrival_s, 0.0);
    EXPECT_LT((*all)[i].arrival_s, 1.0);
  }
  EXPECT_DOUBLE_EQ((*all)[3].arrival_s, 1.0);
}

TEST(BurstGptTrace, ErrorsNameFileLineAndField) {
  EXPECT_EQ(error_of(TraceFormat::kBurstGpt, "burstgpt_bad.csv"),
            kFixtures + "burstgpt_bad.csv:3: Request tokens: expected a non-negative integer, "
                        "got 'many'");
  const std::string missing = error_of(TraceFormat::kBurstGpt, "burstgpt_missing_column.csv");
  EXPECT_NE(missing.find("burstgpt_missing_column.csv:1: missing column 'Response tokens'"),
            std::string::npos)
      << missing;
}

}  // namespace
}  // namespace autoglm::sim
