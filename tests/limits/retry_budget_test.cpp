#include "limits/retry_budget.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "limits/backoff.hpp"

namespace autoglm::limits {
namespace {

using namespace std::chrono_literals;

TEST(RetryBudget, MinimumRetriesWhenQuiet) {
  RetryBudget budget({0.2, 3});
  std::vector<RetryBudget::Guard> retries;
  for (int i = 0; i < 3; ++i) {
    auto r = budget.try_retry();
    ASSERT_TRUE(r);
    retries.push_back(std::move(*r));
  }
  EXPECT_FALSE(budget.try_retry());
  retries.pop_back();
  EXPECT_TRUE(budget.try_retry());
}

TEST(RetryBudget, ShareOfActiveRequests) {
  RetryBudget budget({0.2, 3});
  std::vector<RetryBudget::Guard> active;
  for (int i = 0; i < 100; ++i) active.push_back(budget.enter());
  EXPECT_EQ(budget.active(), 100u);
  EXPECT_EQ(budget.allowed_retries(), 20u);
  std::vector<RetryBudget::Guard> retries;
  while (auto r = budget.try_retry()) retries.push_back(std::move(*r));
  EXPECT_EQ(retries.size(), 20u);
  active.resize(10);  // the outage drains the gateway: the budget shrinks with it
  EXPECT_EQ(budget.allowed_retries(), 3u);
  retries.clear();
  EXPECT_EQ(budget.retries_in_flight(), 0u);
}

TEST(Retryable, OnlyBeforeFirstByteAndForNodeFailures) {
  const RetryPolicy policy{2};
  EXPECT_TRUE(retryable(policy, 0, false, core::ErrorCode::kUpstreamFailure));
  EXPECT_TRUE(retryable(policy, 1, false, core::ErrorCode::kTimeout));
  EXPECT_FALSE(retryable(policy, 2, false, core::ErrorCode::kUpstreamFailure));
  EXPECT_FALSE(retryable(policy, 0, true, core::ErrorCode::kUpstreamFailure));
  EXPECT_FALSE(retryable(policy, 0, false, core::ErrorCode::kInvalidArgument));
}

TEST(Backoff, FullJitterWithinExponentialCeiling) {
  std::mt19937_64 rng(42);
  const BackoffOptions options{25ms, 1s};
  for (int retry = 1; retry <= 10; ++retry) {
    const core::Duration ceiling = std::min<core::Duration>(1s, 25ms * (1 << (retry - 1)));
    for (int i = 0; i < 200; ++i) {
      const core::Duration d = backoff_delay(retry, options, rng);
      ASSERT_GE(d, 0ns);
      ASSERT_LE(d, ceiling) << "retry " << retry;
    }
  }
  EXPECT_LE(backoff_delay(1000, options, rng), 1s);
}

TEST(Backoff, SameSeedSameDelays) {
  std::mt19937_64 a(7);
  std::mt19937_64 b(7);
  for (int i = 1; i < 20; ++i) EXPECT_EQ(backoff_delay(i, {}, a), backoff_delay(i, {}, b));
}

TEST(Backoff, JitterSpreadsDelays) {
  std::mt19937_64 rng(1);
  core::Duration lo = 1s;
  core::Duration hi = 0s;
  for (int i = 0; i < 1000; ++i) {
    const auto d = backoff_delay(3, {25ms, 1s}, rng);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_LT(lo, 10ms);
  EXPECT_GT(hi, 90ms);
}

}  // namespace
}  // namespace autoglm::limits
