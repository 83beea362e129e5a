#include "api/openai_request.hpp"

#include <gtest/gtest.h>

namespace autoglm::api {
namespace {

TEST(OpenAiRequest, ReadsModelAndStream) {
  auto r = parse_openai_request(
      R"({"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]})",
      Endpoint::kChatCompletions);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r->model, "m");
  EXPECT_TRUE(r->stream);
}

TEST(OpenAiRequest, StreamDefaultsToFalse) {
  auto r = parse_openai_request(R"({"model":"m","prompt":"hi"})", Endpoint::kCompletions);
  ASSERT_TRUE(r.is_ok());
  EXPECT_FALSE(r->stream);
}

struct BadCase {
  const char* body;
  Endpoint endpoint;
  const char* param;
};

class OpenAiRequestErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(OpenAiRequestErrors, NamesTheField) {
  auto r = parse_openai_request(GetParam().body, GetParam().endpoint);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().param(), GetParam().param);
  EXPECT_FALSE(r.status().message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    All, OpenAiRequestErrors,
    ::testing::Values(BadCase{"{not json", Endpoint::kChatCompletions, ""},
                      BadCase{"[1,2]", Endpoint::kChatCompletions, ""},
                      BadCase{R"({"messages":[{}]})", Endpoint::kChatCompletions, "model"},
                      BadCase{R"({"model":3,"messages":[{}]})", Endpoint::kChatCompletions, "model"},
                      BadCase{R"({"model":"m"})", Endpoint::kChatCompletions, "messages"},
                      BadCase{R"({"model":"m","messages":[]})", Endpoint::kChatCompletions, "messages"},
                      BadCase{R"({"model":"m","messages":[{}],"stream":"yes"})",
                              Endpoint::kChatCompletions, "stream"},
                      BadCase{R"({"model":"m"})", Endpoint::kCompletions, "prompt"},
                      BadCase{R"({"model":"m","prompt":5})", Endpoint::kCompletions, "prompt"}));

}  // namespace
}  // namespace autoglm::api
