#include "api/upstream_limits.hpp"

#include <gtest/gtest.h>

namespace autoglm::api {
namespace {

using namespace std::chrono_literals;

TEST(UpstreamLimits, RoutesOverrideOnlyWhatTheyName) {
  config::UpstreamConfig u;
  u.connect_timeout = 2s;
  u.first_byte_timeout = 60s;
  u.response_timeout = 120s;
  u.idle_timeout = 30s;
  u.routes["/v1/embeddings"].response_timeout = 10s;
  u.routes["/v1/embeddings"].first_byte_timeout = 5s;
  const auto c = timeout_config(u);
  EXPECT_EQ(c.defaults.total, 120s);
  const auto& e = limits::route_timeouts(c, "/v1/embeddings");
  EXPECT_EQ(e.total, 10s);
  EXPECT_EQ(e.first_byte, 5s);
  EXPECT_EQ(e.connect, 2s);       // inherited
  EXPECT_EQ(e.idle_stream, 30s);  // inherited
  EXPECT_EQ(limits::route_timeouts(c, "/v1/chat/completions").idle_stream, 30s);
}

TEST(UpstreamLimits, HeaderOverridesAreBoundedByTheConfiguredCeiling) {
  config::UpstreamConfig u;
  u.max_timeout_override = 10s;
  auto applied =
      limits::apply_overrides(timeout_config(u), "/v1/chat/completions", {"60000", "", "50"});
  ASSERT_TRUE(applied.is_ok());
  EXPECT_EQ(applied->timeouts.total, 10s);
  EXPECT_EQ(applied->timeouts.idle_stream, 100ms);  // the floor
  EXPECT_EQ(applied->clamped.size(), 2u);
}

TEST(UpstreamLimits, OnlyRoutesThatAskResumeBrokenStreams) {
  config::UpstreamConfig u;
  u.routes["/v1/chat/completions"].resume_on_failure = true;
  u.routes["/v1/chat/completions"].max_resumes = 3;
  u.routes["/v1/completions"].max_resumes = 2;  // without resume-on-failure: no resumes
  u.routes["/v1/embeddings"].idle_timeout = 1s;
  const auto policy = upstream_policy(u);
  EXPECT_EQ(policy.resumes_for("/v1/chat/completions"), 3);
  EXPECT_EQ(policy.resumes_for("/v1/completions"), 0);
  EXPECT_EQ(policy.resumes_for("/v1/embeddings"), 0);
  EXPECT_EQ(upstream_policy(config::UpstreamConfig{}).resumes_for("/v1/chat/completions"), 0);
}

TEST(UpstreamLimits, RetrySettingsCarryOver) {
  config::UpstreamConfig u;
  u.retry_budget = 0.5;
  u.retry_budget_min = 7;
  u.retry_backoff = 40ms;
  u.retry_backoff_max = 10ms;  // below the base: acts as the base
  EXPECT_EQ(retry_budget_options(u).ratio, 0.5);
  EXPECT_EQ(retry_budget_options(u).min_retries, 7u);
  EXPECT_EQ(retry_backoff_options(u).base, 40ms);
  EXPECT_EQ(retry_backoff_options(u).cap, 40ms);
}

}  // namespace
}  // namespace autoglm::api
