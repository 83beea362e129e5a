#include "simnode/openai_format.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "simnode/text_gen.hpp"

namespace autoglm::simnode {
namespace {

namespace json = boost::json;

TEST(SimRequest, ChatDefaultsAndCounts) {
  auto r = parse_sim_request(R"({"model":"m","messages":[{"role":"user","content":"hello world"}]})",
                             true, SimLimits{});
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r->model, "m");
  EXPECT_EQ(r->max_tokens, 128);
  EXPECT_GT(r->prompt_tokens, 6);  // two words plus chat framing
  EXPECT_FALSE(r->stream);
}

TEST(SimRequest, MaxTokensAndUsageOption) {
  auto r = parse_sim_request(
      R"({"model":"m","prompt":"x","max_tokens":7,"stream":true,"stream_options":{"include_usage":true}})",
      false, SimLimits{});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->max_tokens, 7);
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->include_usage);
}

TEST(SimRequest, RejectsOverlongRequestsLikeVllm) {
  auto r = parse_sim_request(R"({"model":"m","prompt":"x","max_tokens":100})", false,
                             SimLimits{16, 50});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().param(), "max_tokens");
}

TEST(SimRequest, RejectsBadMaxTokens) {
  auto r = parse_sim_request(R"({"model":"m","prompt":"x","max_tokens":0})", false, SimLimits{});
  ASSERT_FALSE(r.is_ok());
}

TEST(SimFormat, CompletionBodyCarriesUsage) {
  SimRequest req;
  req.model = "m";
  auto body = json::parse(completion_body(req, "id1", 5, "hi there", Usage{10, 2}));
  EXPECT_EQ(body.at("object").as_string(), "chat.completion");
  EXPECT_EQ(body.at("choices").at(0).at("message").at("content").as_string(), "hi there");
  EXPECT_EQ(body.at("usage").at("total_tokens").as_int64(), 12);
}

TEST(SimFormat, StreamEventsAreSseLines) {
  SimRequest req;
  req.model = "m";
  std::string first = stream_event(req, "id", 1, "a", true, false);
  ASSERT_TRUE(first.starts_with("data: "));
  ASSERT_TRUE(first.ends_with("\n\n"));
  auto chunk = json::parse(first.substr(6));
  EXPECT_EQ(chunk.at("choices").at(0).at("delta").at("role").as_string(), "assistant");
  auto last = json::parse(stream_event(req, "id", 1, "", false, true).substr(6));
  EXPECT_EQ(last.at("choices").at(0).at("finish_reason").as_string(), "length");
}

TEST(TextGenerator, IsDeterministicPerSeed) {
  TextGenerator a(7), b(7), c(8);
  std::string sa, sb, sc;
  for (int i = 0; i < 20; ++i) {
    sa += a.next();
    sb += b.next();
    sc += c.next();
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
  EXPECT_NE(sa.front(), ' ');
}

}  // namespace
}  // namespace autoglm::simnode
