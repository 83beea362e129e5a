#include "limits/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <map>

#include "limits/rate_limit_headers.hpp"

namespace autoglm::limits {
namespace {

using namespace std::chrono_literals;

std::map<std::string, std::string> as_map(const RateDecision& d) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : rate_limit_headers(d)) out[k] = v;
  return out;
}

TEST(RateLimiter, SeedExampleHundredPerSecondBurstTwoHundred) {
  core::ManualClock clock;
  RateLimiter limiter({{}, {{100, 200}, std::nullopt}}, clock);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(limiter.admit("acme", 0).allowed) << i;
  const RateDecision d = limiter.admit("acme", 0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.denied_by, LimitScope::kTenantRequests);
  EXPECT_EQ(d.retry_after, 10ms);
  EXPECT_EQ(d.status("acme").code(), core::ErrorCode::kResourceExhausted);
  EXPECT_NE(d.status("acme").message().find("acme"), std::string::npos);

  auto h = as_map(d);
  EXPECT_EQ(h["x-ratelimit-limit-requests"], "200");
  EXPECT_EQ(h["x-ratelimit-remaining-requests"], "0");
  EXPECT_EQ(h["x-ratelimit-reset-requests"], "2s");
  EXPECT_EQ(h["retry-after"], "1");
  EXPECT_FALSE(h.contains("x-ratelimit-limit-tokens"));

  clock.advance(1s);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.admit("acme", 0).allowed) << i;
  EXPECT_FALSE(limiter.admit("acme", 0).allowed);
}

TEST(RateLimiter, TenantsHaveSeparateBuckets) {
  core::ManualClock clock;
  RateLimiter limiter({{}, {{1, 1}, std::nullopt}}, clock);
  EXPECT_TRUE(limiter.admit("a", 0).allowed);
  EXPECT_FALSE(limiter.admit("a", 0).allowed);
  EXPECT_TRUE(limiter.admit("b", 0).allowed);
}

TEST(RateLimiter, GlobalLimitDeniesWithoutSpendingTheTenantsToken) {
  core::ManualClock clock;
  RateLimiter limiter({{1, 1}, {{10, 2}, std::nullopt}}, clock);
  EXPECT_TRUE(limiter.admit("a", 0).allowed);
  const RateDecision d = limiter.admit("a", 0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.denied_by, LimitScope::kGlobal);
  EXPECT_EQ(d.retry_after, 1s);
  ASSERT_TRUE(d.requests);
  EXPECT_EQ(d.requests->remaining, 1);  // refunded
}

TEST(RateLimiter, TokensPerMinuteWithSettlement) {
  core::ManualClock clock;
  RateLimiter limiter({}, clock);
  limiter.set_tenant("acme", {{}, 6000});
  RateDecision d = limiter.admit("acme", 4000);
  ASSERT_TRUE(d.allowed);
  ASSERT_TRUE(d.tokens);
  EXPECT_EQ(d.tokens->limit, 6000);
  EXPECT_EQ(d.tokens->remaining, 2000);
  EXPECT_FALSE(d.requests);  // no request limit anywhere

  d = limiter.admit("acme", 4000);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.denied_by, LimitScope::kTenantTokens);
  EXPECT_EQ(d.retry_after, 20s);  // 2000 tokens at 100 per second
  auto h = as_map(d);
  EXPECT_EQ(h["x-ratelimit-remaining-tokens"], "2000");
  EXPECT_EQ(h["x-ratelimit-reset-tokens"], "40s");
  EXPECT_EQ(h["retry-after"], "20");

  limiter.settle_tokens("acme", 4000, 1000);  // used far less than estimated
  EXPECT_TRUE(limiter.admit("acme", 4000).allowed);
}

TEST(RateLimiter, ReloadKeepsStateOfUnchangedLimits) {
  core::ManualClock clock;
  RateLimiter limiter({}, clock);
  limiter.set_tenant("acme", {{1, 2}, std::nullopt});
  ASSERT_TRUE(limiter.admit("acme", 0).allowed);
  ASSERT_TRUE(limiter.admit("acme", 0).allowed);
  limiter.set_tenant("acme", {{1, 2}, std::nullopt});  // same: still empty
  EXPECT_FALSE(limiter.admit("acme", 0).allowed);
  limiter.set_tenant("acme", {{}, std::nullopt});  // limit removed
  EXPECT_TRUE(limiter.admit("acme", 0).allowed);
}

TEST(RateLimitHeaders, ResetFormatsLikeOpenAI) {
  EXPECT_EQ(format_reset(0ns), "0s");
  EXPECT_EQ(format_reset(12ms), "12ms");
  EXPECT_EQ(format_reset(11500us), "12ms");
  EXPECT_EQ(format_reset(1500ms), "1.5s");
  EXPECT_EQ(format_reset(1001ms), "1.001s");
  EXPECT_EQ(format_reset(360s), "6m0s");
  EXPECT_EQ(format_reset(3723s), "1h2m3s");
  EXPECT_EQ(retry_after_seconds(10ms), "1");
  EXPECT_EQ(retry_after_seconds(2001ms), "3");
}

}  // namespace
}  // namespace autoglm::limits
