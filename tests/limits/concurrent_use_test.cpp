// The limiters under concurrent use: counts stay exact whatever the interleaving. The
// clock is frozen, so the expected totals do not depend on timing.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "limits/concurrency_limiter.hpp"
#include "limits/rate_limiter.hpp"
#include "limits/retry_budget.hpp"

namespace autoglm::limits {
namespace {

TEST(ConcurrentUse, RateLimiterAdmitsExactlyTheBurst) {
  core::ManualClock clock;  // only read by the threads
  RateLimiter limiter({{}, {{100, 200}, std::nullopt}}, clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.admit(i % 2 ? "a" : "b", 0).allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 400);  // two tenants, 200 requests each, exactly at the burst
  EXPECT_FALSE(limiter.admit("a", 0).allowed);
  EXPECT_FALSE(limiter.admit("b", 0).allowed);
}

TEST(ConcurrentUse, ConcurrencyLimiterNeverExceedsItsBound) {
  ConcurrencyLimiter limiter("tenant", 3);
  std::atomic<int> held{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto p = limiter.try_acquire("acme");
        if (!p.is_ok()) continue;
        const int now = ++held;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        --held;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 3);
  EXPECT_EQ(limiter.in_flight("acme"), 0u);
}

TEST(ConcurrentUse, RetryBudgetCountsReturnToZero) {
  RetryBudget budget({0.5, 1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto active = budget.enter();
        auto retry = budget.try_retry();
        EXPECT_LE(budget.retries_in_flight(), 4u);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(budget.active(), 0u);
  EXPECT_EQ(budget.retries_in_flight(), 0u);
}

}  // namespace
}  // namespace autoglm::limits
