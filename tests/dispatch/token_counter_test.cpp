#include "dispatch/token_counter.hpp"

#include <gtest/gtest.h>

namespace autoglm::dispatch {
namespace {

TEST(TokenCounter, ReadsUsageFromAWholeAnswer) {
  TokenCounter c;
  c.feed(R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":42,"total_tokens":47}})");
  EXPECT_EQ(c.count(), 42);
}

TEST(TokenCounter, CountsStreamEventsWhenThereIsNoUsage) {
  TokenCounter c;
  for (int i = 0; i < 6; ++i) c.feed("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n");
  c.feed("data: [DONE]\n\n");
  EXPECT_EQ(c.count(), 5);
}

TEST(TokenCounter, PatternsMaySpanChunks) {
  TokenCounter c;
  const std::string stream =
      "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: {\"usage\":{\"completion_tokens\":17}}\n\n";
  for (char ch : stream) c.feed(std::string_view(&ch, 1));
  EXPECT_EQ(c.count(), 17);
}

TEST(TokenCounter, EventsSplitAcrossChunksCountOnce) {
  TokenCounter c;
  c.feed("data: {\"x\":1}\n\nda");
  c.feed("ta: {\"x\":2}\n\ndata: {");
  c.feed("\"x\":3}\n\n");
  EXPECT_EQ(c.count(), 2);  // three events, less the closing one
}

TEST(TokenCounter, EverySplitOfAStreamCountsTheSame) {
  const std::string events =
      "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: {\"a\":3}\n\ndata: [DONE]\n\n";
  const std::string usage = "data: {\"a\":1}\n\ndata: {\"usage\":{\"completion_tokens\": 205}}\n\n";
  for (const auto& [stream, expected] : {std::pair{events, 2}, std::pair{usage, 205}}) {
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
      TokenCounter c;
      c.feed(std::string_view(stream).substr(0, cut));
      c.feed(std::string_view(stream).substr(cut));
      EXPECT_EQ(c.count(), expected) << "cut at " << cut;
    }
  }
}

}  // namespace
}  // namespace autoglm::dispatch
