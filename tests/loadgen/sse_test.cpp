#include "loadgen/sse.hpp"

#include <gtest/gtest.h>

namespace autoglm::loadgen {
namespace {

std::vector<std::string> feed_all(SseParser& p, const std::vector<std::string>& pieces) {
  std::vector<std::string> out;
  for (const auto& piece : pieces) p.feed(piece, out);
  return out;
}

TEST(SseParser, SplitsEventsOnBlankLines) {
  SseParser p;
  const auto out = feed_all(p, {"data: {\"a\":1}\n\ndata: [DONE]\n\n"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "{\"a\":1}");
  EXPECT_EQ(out[1], "[DONE]");
}

TEST(SseParser, AnEventSplitAcrossReadsIsWholeOnce) {
  SseParser p;
  const auto out = feed_all(p, {"da", "ta: hel", "lo\n", "\n"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], "hello");
}

TEST(SseParser, AcceptsCrLfAndCrEvenWhenSplitBetweenReads) {
  SseParser p;
  const auto out = feed_all(p, {"data: a\r", "\n\r", "\ndata: b\r\r"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "a");
  EXPECT_EQ(out[1], "b");
}

TEST(SseParser, JoinsDataLinesAndSkipsCommentsAndOtherFields) {
  SseParser p;
  const auto out = feed_all(p, {": keep-alive\n\nevent: message\nid: 7\ndata: one\ndata:two\n\n"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], "one\ntwo");
}

TEST(SseParser, DropsAnEventTheStreamDidNotClose) {
  SseParser p;
  EXPECT_TRUE(feed_all(p, {"data: cut off\n"}).empty());
}

TEST(ReadChunk, ChatDeltaWithTextIsAToken) {
  const auto info =
      read_chunk(R"({"choices":[{"index":0,"delta":{"role":"assistant","content":" hi"}}]})");
  EXPECT_TRUE(info.token);
  EXPECT_FALSE(info.done);
  EXPECT_FALSE(info.error);
}

TEST(ReadChunk, EmptyDeltaAndFinishAreNotTokens) {
  EXPECT_FALSE(read_chunk(R"({"choices":[{"delta":{"role":"assistant"}}]})").token);
  EXPECT_FALSE(
      read_chunk(R"({"choices":[{"delta":{"content":""},"finish_reason":"length"}]})").token);
}

TEST(ReadChunk, CompletionTextIsAToken) {
  EXPECT_TRUE(read_chunk(R"({"choices":[{"text":"x","index":0}]})").token);
}

TEST(ReadChunk, UsageChunkGivesTheCount) {
  const auto info =
      read_chunk(R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":42}})");
  EXPECT_FALSE(info.token);
  ASSERT_TRUE(info.completion_tokens);
  EXPECT_EQ(*info.completion_tokens, 42);
}

TEST(ReadChunk, DoneErrorAndGarbage) {
  EXPECT_TRUE(read_chunk("[DONE]").done);
  EXPECT_TRUE(read_chunk(R"({"error":{"message":"overloaded"}})").error);
  EXPECT_TRUE(read_chunk("not json").error);
}

TEST(ReadCompletion, NeedsChoicesAndReadsUsage) {
  const auto good = read_completion(
      R"({"choices":[{"message":{"content":"x"}}],"usage":{"completion_tokens":3}})");
  EXPECT_TRUE(good.ok);
  EXPECT_EQ(good.completion_tokens, 3);
  EXPECT_FALSE(read_completion(R"({"error":{}})").ok);
  EXPECT_FALSE(read_completion("<html>").ok);
}

}  // namespace
}  // namespace autoglm::loadgen
