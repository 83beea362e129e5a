// Completions and embeddings bodies.
#include <gtest/gtest.h>

#include <string>

#include "parse/task_parser.hpp"
#include "parse/token_estimator.hpp"

namespace autoglm::parse {
namespace {

using core::TaskKind;
using core::TaskSpec;

TaskSpec parse(TaskKind kind, const std::string& body, const ParseOptions& options = {}) {
  auto r = parse_openai(kind, body, {}, options);
  EXPECT_TRUE(r.is_ok()) << (r ? "" : r.status().message());
  return r ? std::move(r).value() : TaskSpec{};
}

TEST(ParseCompletionTest, APromptStringIsEstimated) {
  const std::string prompt = "Once upon a time, in a data centre far away,";
  const TaskSpec t =
      parse(TaskKind::kCompletion, R"({"model":"m","prompt":")" + prompt + R"(","max_tokens":16})");
  EXPECT_EQ(t.kind, TaskKind::kCompletion);
  EXPECT_EQ(t.input_tokens, estimate_tokens(prompt));
  EXPECT_EQ(t.max_output_tokens, 16);
}

TEST(ParseCompletionTest, PromptArraysMayHoldStringsOrTokenIds) {
  EXPECT_EQ(
      parse(TaskKind::kCompletion, R"({"model":"m","prompt":["hello","hello"]})").input_tokens, 2);
  EXPECT_EQ(parse(TaskKind::kCompletion, R"({"model":"m","prompt":[1,2,3,50256]})").input_tokens,
            4);
  EXPECT_EQ(
      parse(TaskKind::kCompletion, R"({"model":"m","prompt":[[1,2,3],[4,5],[]]})").input_tokens, 5);
  EXPECT_EQ(parse(TaskKind::kCompletion, R"({"model":"m","prompt":""})").input_tokens, 0);
  EXPECT_EQ(
      parse(TaskKind::kCompletion, R"({"model":"m","prompt":[18446744073709551615]})").input_tokens,
      1);
}

TEST(ParseCompletionTest, ASuffixCounts) {
  EXPECT_EQ(parse(TaskKind::kCompletion, R"({"model":"m","prompt":"def f(","suffix":"hello"})")
                .input_tokens,
            estimate_tokens("def f(") + 1);
}

TEST(ParseCompletionTest, LongPromptsGetPrefixHashes) {
  const std::string shared(2000, 'a');
  const TaskSpec a = parse(TaskKind::kCompletion, R"({"model":"m","prompt":")" + shared + "x\"}");
  const TaskSpec b = parse(TaskKind::kCompletion, R"({"model":"m","prompt":")" + shared + "y\"}");
  ASSERT_EQ(a.prefix_hashes.size(), 7u);  // 2001 bytes (+ separator): 7 full chunks
  EXPECT_EQ(a.prefix_hashes, b.prefix_hashes);
}

TEST(ParseCompletionTest, TokenIdPromptsAreHashedToo) {
  std::string ids;
  for (int i = 0; i < 200; ++i) ids += (i ? "," : "") + std::to_string(1000 + i);
  const TaskSpec t = parse(TaskKind::kCompletion, R"({"model":"m","prompt":[)" + ids + "]}");
  EXPECT_EQ(t.input_tokens, 200);
  EXPECT_EQ(t.prefix_hashes.size(), 3u);  // 800 bytes of ids
}

TEST(ParseEmbeddingTest, InputIsEstimatedAndNothingIsGenerated) {
  const TaskSpec t = parse(TaskKind::kEmbedding,
                           R"({"model":"e5","input":["first text","second one"],"max_tokens":99})");
  EXPECT_EQ(t.kind, TaskKind::kEmbedding);
  EXPECT_EQ(t.input_tokens, estimate_tokens("first text") + estimate_tokens("second one"));
  EXPECT_EQ(t.max_output_tokens, 0);
  EXPECT_EQ(parse(TaskKind::kEmbedding, R"({"model":"e5","input":[[1,2],[3]]})").input_tokens, 3);
}

TEST(ParseEmbeddingTest, EmbeddingsGetNoPrefixHashes) {
  const TaskSpec t =
      parse(TaskKind::kEmbedding, R"({"model":"e5","input":")" + std::string(4000, 'z') + "\"}");
  EXPECT_TRUE(t.prefix_hashes.empty());
}

}  // namespace
}  // namespace autoglm::parse
