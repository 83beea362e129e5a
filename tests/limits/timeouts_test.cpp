#include "limits/timeouts.hpp"

#include <gtest/gtest.h>

namespace autoglm::limits {
namespace {

TimeoutConfig config() {
  TimeoutConfig c;
  c.routes["/v1/embeddings"] = Timeouts{2s, 10s, 30s, 10s};
  return c;
}

TEST(Timeouts, RouteDefaults) {
  const TimeoutConfig c = config();
  EXPECT_EQ(route_timeouts(c, "/v1/embeddings").total, 30s);
  EXPECT_EQ(route_timeouts(c, "/v1/chat/completions").total, 600s);
  EXPECT_TRUE(validate(c).is_ok());
}

TEST(Timeouts, HeaderOverridesWithinBounds) {
  auto r = apply_overrides(config(), "/v1/chat/completions", {"5000", "", ""});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->timeouts.total, 5s);
  EXPECT_EQ(r->timeouts.first_byte, 5s);  // capped at total
  EXPECT_EQ(r->timeouts.idle_stream, 5s);
  EXPECT_EQ(r->timeouts.connect, 5s);
  EXPECT_TRUE(r->clamped.empty());
}

TEST(Timeouts, OutOfBoundsValuesAreClampedAndReported) {
  auto r = apply_overrides(config(), "/v1/chat/completions", {"99999999", "1", ""});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->timeouts.total, 3600s);
  EXPECT_EQ(r->timeouts.first_byte, 100ms);
  ASSERT_EQ(r->clamped.size(), 2u);
  EXPECT_EQ(r->clamped[0], "x-autoglm-timeout-ms");
  EXPECT_EQ(r->clamped[1], "x-autoglm-first-byte-timeout-ms");
}

TEST(Timeouts, MalformedHeadersAreNamed) {
  for (std::string_view bad : {"abc", "-5", "0", "1.5", "99999999999", " 10"}) {
    auto r = apply_overrides(config(), "/x", {"", "", bad});
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().param(), "x-autoglm-idle-timeout-ms");
  }
  auto r = apply_overrides(config(), "/x", {"\x01\x02", "", ""});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().message().find('\x01'), std::string::npos);
}

TEST(Timeouts, ValidateNamesTheKey) {
  TimeoutConfig c;
  c.defaults.total = 1s;
  EXPECT_EQ(validate(c).param(), "timeouts.first_byte_ms");
  c = config();
  c.routes["/v1/embeddings"].connect = 0s;
  EXPECT_EQ(validate(c).param(), "timeouts.routes./v1/embeddings.connect_ms");
}

}  // namespace
}  // namespace autoglm::limits
