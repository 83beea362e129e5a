#include "http/header_value.hpp"

#include <gtest/gtest.h>

namespace autoglm::http {
namespace {

namespace bhttp = boost::beast::http;

TEST(HeaderValue, FindsKnownAndCustomFieldsInAnyCase) {
  bhttp::fields fields;
  fields.set(bhttp::field::authorization, "Bearer k");
  fields.set("X-AutoGLM-Priority", "high");
  fields.set("x-autoglm-prefer", "n1");
  EXPECT_EQ(header_value(fields, "authorization"), "Bearer k");
  EXPECT_EQ(header_value(fields, "AUTHORIZATION"), "Bearer k");
  EXPECT_EQ(header_value(fields, "x-autoglm-priority"), "high");
  // A name that is a prefix of another, or longer, is another header.
  EXPECT_EQ(header_value(fields, "x-autoglm-prefer"), "n1");
  EXPECT_EQ(header_value(fields, "x-autoglm-prefer-node"), "");
  EXPECT_EQ(header_value(fields, "x-autoglm-pri"), "");
}

TEST(HeaderValue, AbsentIsEmptyAndTheFirstOfRepeatsWins) {
  bhttp::fields fields;
  EXPECT_EQ(header_value(fields, "accept"), "");
  fields.insert("accept", "text/event-stream");
  fields.insert("Accept", "application/json");
  EXPECT_EQ(header_value(fields, "accept"), "text/event-stream");
  EXPECT_EQ(header_value(fields, "accept"), std::string_view(fields["accept"]));
}

}  // namespace
}  // namespace autoglm::http
