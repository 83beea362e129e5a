// The request that resumes a broken stream on another node: what it keeps, what it adds,
// how max_tokens shrinks, and which requests cannot be resumed at all.
#include "dispatch/continuation.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace autoglm::dispatch {
namespace {

namespace json = boost::json;

json::object resumed(bool chat, std::string_view body, std::string_view text, std::int64_t sent) {
  auto c = continuation_request(chat, body, text, sent);
  EXPECT_TRUE(c.is_ok()) << c.status().message();
  return c.is_ok() ? json::parse(c->body).as_object() : json::object{};
}

TEST(ContinuationRequest, ChatAddsTheTextAsAnAssistantMessageToContinue) {
  const auto r =
      resumed(true,
              R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,)"
              R"("temperature":0.7,"seed":3,"max_tokens":100})",
              "Hello the", 2);
  const auto& messages = r.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].at("role").as_string(), "assistant");
  EXPECT_EQ(messages[1].at("content").as_string(), "Hello the");
  EXPECT_TRUE(r.at("continue_final_message").as_bool());
  EXPECT_FALSE(r.at("add_generation_prompt").as_bool());
  EXPECT_EQ(r.at("max_tokens").as_int64(), 98);
  EXPECT_EQ(r.at("temperature").as_double(), 0.7);  // sampling parameters are kept
  EXPECT_EQ(r.at("seed").as_int64(), 3);
  EXPECT_TRUE(r.at("stream").as_bool());
}

TEST(ContinuationRequest, AClientPrefillGrowsInsteadOfGettingASecondMessage) {
  const auto r =
      resumed(true,
              R"({"model":"m","continue_final_message":true,"add_generation_prompt":false,)"
              R"("messages":[{"role":"user","content":"hi"},)"
              R"({"role":"assistant","content":"Sure:"}]})",
              " one two", 2);
  const auto& messages = r.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].at("content").as_string(), "Sure: one two");
}

TEST(ContinuationRequest, BothTokenLimitsShrinkByWhatWasSent) {
  const auto r = resumed(true,
                         R"({"model":"m","messages":[{"role":"user","content":"hi"}],)"
                         R"("max_tokens":10,"max_completion_tokens":8})",
                         "a b c", 3);
  EXPECT_EQ(r.at("max_tokens").as_int64(), 7);
  EXPECT_EQ(r.at("max_completion_tokens").as_int64(), 5);
  auto c = continuation_request(true, R"({"messages":[],"max_tokens":10})", "", 3);
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->max_output_tokens, 7);  // what the scheduler is told: the first limit found
}

TEST(ContinuationRequest, WithoutALimitTheNodeDefaultStays) {
  auto c = continuation_request(true, R"({"messages":[{"role":"user","content":"hi"}]})", "x", 1);
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->max_output_tokens, 0);
  EXPECT_FALSE(json::parse(c->body).as_object().contains("max_tokens"));
}

TEST(ContinuationRequest, NothingLeftToGenerateIsRefused) {
  auto c = continuation_request(
      true, R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":4})", "a b c d", 4);
  EXPECT_FALSE(c.is_ok());
}

TEST(ContinuationRequest, CompletionAppendsTheTextToThePrompt) {
  auto r = resumed(false, R"({"model":"m","prompt":"Once upon","max_tokens":16,"top_p":0.9})",
                   " a time", 2);
  EXPECT_EQ(r.at("prompt").as_string(), "Once upon a time");
  EXPECT_EQ(r.at("max_tokens").as_int64(), 14);
  EXPECT_EQ(r.at("top_p").as_double(), 0.9);
  EXPECT_FALSE(r.contains("continue_final_message"));
  r = resumed(false, R"({"prompt":["Once upon"]})", " a", 1);
  EXPECT_EQ(r.at("prompt").as_string(), "Once upon a");
}

TEST(ContinuationRequest, RequestsThatCannotResume) {
  const char* chat_cases[] = {
      R"({"messages":[{"role":"user","content":"hi"}],"n":2})",
      R"({"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function"}]})",
      R"({"messages":[{"role":"user","content":"hi"}],"functions":[{"name":"f"}]})",
      R"({"messages":[{"role":"user","content":"hi"}],"echo":true})",
      R"({"messages":"hi"})",
      R"(not json)",
  };
  for (const char* body : chat_cases) {
    EXPECT_FALSE(check_resumable(true, body).is_ok()) << body;
    EXPECT_FALSE(continuation_request(true, body, "x", 1).is_ok()) << body;
  }
  const char* completion_cases[] = {
      R"({"prompt":"a","n":3})", R"({"prompt":"a","best_of":2})", R"({"prompt":"a","echo":true})",
      R"({"prompt":["a","b"]})", R"({"prompt":[1,2,3]})",
  };
  for (const char* body : completion_cases) {
    EXPECT_FALSE(check_resumable(false, body).is_ok()) << body;
  }
  EXPECT_TRUE(check_resumable(true, R"({"messages":[],"n":1,"tools":[]})").is_ok());
  EXPECT_TRUE(check_resumable(false, R"({"prompt":"a","echo":false})").is_ok());
}

}  // namespace
}  // namespace autoglm::dispatch
