#include "cache/sse_replay.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <vector>

namespace autoglm::cache {
namespace {

std::vector<boost::json::object> events(const std::string& sse) {
  std::vector<boost::json::object> out;
  std::size_t pos = 0;
  while (pos < sse.size()) {
    const auto end = sse.find("\n\n", pos);
    EXPECT_NE(end, std::string::npos);
    const std::string line = sse.substr(pos, end - pos);
    EXPECT_EQ(line.rfind("data: ", 0), 0u);
    const std::string data = line.substr(6);
    if (data != "[DONE]") out.push_back(boost::json::parse(data).as_object());
    pos = end + 2;
  }
  return out;
}

constexpr const char* kChat = R"({
  "id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m",
  "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},
              "finish_reason":"stop","logprobs":null}],
  "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})";

TEST(SseReplay, ChatCompletionBecomesChunksAndDone) {
  auto sse = render_sse(kChat, {});
  ASSERT_TRUE(sse.is_ok()) << sse.status().message();
  EXPECT_TRUE(sse->ends_with("data: [DONE]\n\n"));
  auto ev = events(*sse);
  ASSERT_EQ(ev.size(), 3u);
  for (const auto& e : ev) {
    EXPECT_EQ(e.at("object"), "chat.completion.chunk");
    EXPECT_EQ(e.at("id"), "chatcmpl-1");
    EXPECT_EQ(e.at("model"), "m");
  }
  EXPECT_EQ(ev[0].at("choices").at(0).at("delta").at("role"), "assistant");
  EXPECT_EQ(ev[1].at("choices").at(0).at("delta").at("content"), "Hello there");
  EXPECT_TRUE(ev[1].at("choices").at(0).at("finish_reason").is_null());
  EXPECT_EQ(ev[2].at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_FALSE(ev[2].contains("usage"));
}

TEST(SseReplay, UsageChunkWhenAsked) {
  auto sse = render_sse(kChat, {true});
  ASSERT_TRUE(sse.is_ok());
  auto ev = events(*sse);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_TRUE(ev[3].at("choices").as_array().empty());
  EXPECT_EQ(ev[3].at("usage").at("total_tokens"), 5);
}

TEST(SseReplay, ToolCallsCarryAnIndex) {
  auto sse = render_sse(R"({"id":"x","object":"chat.completion","model":"m","choices":[
    {"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
     "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}}]})",
                        {});
  ASSERT_TRUE(sse.is_ok());
  auto ev = events(*sse);
  ASSERT_EQ(ev.size(), 3u);
  const auto& call = ev[1].at("choices").at(0).at("delta").at("tool_calls").at(0);
  EXPECT_EQ(call.at("index"), 0);
  EXPECT_EQ(call.at("function").at("name"), "f");
}

TEST(SseReplay, TextCompletion) {
  auto sse = render_sse(R"({"id":"cmpl-1","object":"text_completion","model":"m",
    "choices":[{"index":0,"text":"abc","finish_reason":"length","logprobs":null}]})",
                        {});
  ASSERT_TRUE(sse.is_ok());
  auto ev = events(*sse);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].at("object"), "text_completion");
  EXPECT_EQ(ev[0].at("choices").at(0).at("text"), "abc");
  EXPECT_EQ(ev[1].at("choices").at(0).at("finish_reason"), "length");
}

TEST(SseReplay, RejectsWhatCannotStream) {
  EXPECT_FALSE(render_sse(R"({"object":"list","data":[]})", {}).is_ok());
  EXPECT_FALSE(render_sse("not json", {}).is_ok());
  EXPECT_FALSE(render_sse(R"({"object":"chat.completion"})", {}).is_ok());
}

}  // namespace
}  // namespace autoglm::cache
