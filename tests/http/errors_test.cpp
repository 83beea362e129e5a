#include "http/errors.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace autoglm::http {
namespace {

using core::ErrorCode;

TEST(Errors, StatusCodesFollowOpenAiConventions) {
  EXPECT_EQ(http_status_for(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status_for(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(http_status_for(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(http_status_for(ErrorCode::kUpstreamFailure), 502);
  EXPECT_EQ(http_status_for(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(http_status_for(ErrorCode::kTimeout), 504);
}

TEST(Errors, BodyHasAllFourOpenAiFields) {
  auto body =
      boost::json::parse(openai_error_body(core::invalid_argument("'model' is required", "model")));
  const auto& error = body.at("error").as_object();
  EXPECT_EQ(error.at("message").as_string(), "'model' is required");
  EXPECT_EQ(error.at("type").as_string(), "invalid_request_error");
  EXPECT_EQ(error.at("param").as_string(), "model");
  EXPECT_EQ(error.at("code").as_string(), "invalid_argument");
}

TEST(Errors, ParamIsNullWhenNoFieldIsAtFault) {
  auto body = boost::json::parse(openai_error_body(core::unavailable("no node")));
  EXPECT_TRUE(body.at("error").at("param").is_null());
  EXPECT_EQ(body.at("error").at("type").as_string(), "service_unavailable_error");
}

}  // namespace
}  // namespace autoglm::http
