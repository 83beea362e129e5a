#include "cache/sse_assemble.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "cache/sse_replay.hpp"

namespace autoglm::cache {
namespace {

namespace json = boost::json;

constexpr const char* kChat = R"({
  "id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m",
  "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},
              "logprobs":null,"finish_reason":"stop"},
             {"index":1,"message":{"role":"assistant","content":"Hi"},
              "logprobs":null,"finish_reason":"length"}],
  "usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}})";

constexpr const char* kText = R"({
  "id":"cmpl-1","object":"text_completion","created":1700000000,"model":"m",
  "choices":[{"index":0,"text":"four","logprobs":null,"finish_reason":"stop"}]})";

// What render_sse streams, assemble_sse puts back together.
TEST(SseAssemble, InvertsRenderSseForChatAndText) {
  for (const char* answer : {kChat, kText}) {
    auto sse = render_sse(answer, {.include_usage = true});
    ASSERT_TRUE(sse.is_ok());
    auto back = assemble_sse(*sse);
    ASSERT_TRUE(back.is_ok()) << back.status().message();
    EXPECT_EQ(json::parse(*back), json::parse(answer)) << *back;
  }
}

TEST(SseAssemble, JoinsContentDeltasOfANodesStream) {
  const std::string sse =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\r\n\r\n"
      ": a comment line\n\n"
      "data:{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n";
  auto back = assemble_sse(sse);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  const json::object answer = json::parse(*back).as_object();
  EXPECT_EQ(answer.at("object"), "chat.completion");
  const auto& choice = answer.at("choices").as_array().at(0).as_object();
  EXPECT_EQ(choice.at("message").at("content"), "Hello");
  EXPECT_EQ(choice.at("finish_reason"), "stop");
  EXPECT_FALSE(answer.contains("usage"));
}

TEST(SseAssemble, RefusesStreamsThatShouldNotBeStored) {
  const std::string head =
      "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
      "{\"content\":\"x\"},\"finish_reason\":";
  // Cut short: no [DONE].
  EXPECT_FALSE(assemble_sse(head + "\"stop\"}]}\n\n").is_ok());
  // A choice that never finished.
  EXPECT_FALSE(assemble_sse(head + "null}]}\n\ndata: [DONE]\n\n").is_ok());
  // The gateway's broken-stream event.
  EXPECT_FALSE(assemble_sse(head + "null}]}\n\ndata: {\"error\":{\"message\":\"node failed\"}}\n\n"
                                   "data: [DONE]\n\n")
                   .is_ok());
  // Tool calls are not merged.
  EXPECT_FALSE(assemble_sse("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                            "\"delta\":{\"tool_calls\":[{\"index\":0}]},\"finish_reason\":\"tool_"
                            "calls\"}]}\n\ndata: [DONE]\n\n")
                   .is_ok());
  EXPECT_FALSE(assemble_sse("data: not json\n\ndata: [DONE]\n\n").is_ok());
  EXPECT_FALSE(assemble_sse("").is_ok());
}

}  // namespace
}  // namespace autoglm::cache
