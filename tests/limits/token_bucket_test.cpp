#include "limits/token_bucket.hpp"

#include <gtest/gtest.h>

namespace autoglm::limits {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, StartsFullAndRefillsAtRate) {
  TokenBucket b(100, 200, core::Time{0});
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(b.try_take(1, core::Time{0}).allowed) << i;
  const TakeResult denied = b.try_take(1, core::Time{0});
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after, 10ms);
  EXPECT_EQ(denied.reset, 2s);
  EXPECT_TRUE(b.try_take(1, core::Time{10ms}).allowed);
  EXPECT_FALSE(b.try_take(1, core::Time{10ms}).allowed);
  EXPECT_DOUBLE_EQ(b.level(core::Time{10s}), 200);
}

TEST(TokenBucket, OversizedTakePassesOnlyFromFullAndLeavesDebt) {
  TokenBucket b(10, 100, core::Time{0});
  const TakeResult r = b.try_take(150, core::Time{0});
  EXPECT_TRUE(r.allowed);
  EXPECT_DOUBLE_EQ(r.remaining, -50);
  EXPECT_FALSE(b.try_take(1, core::Time{5s}).allowed);  // still paying off the debt
  EXPECT_TRUE(b.try_take(1, core::Time{5100ms}).allowed);
  EXPECT_FALSE(b.try_take(150, core::Time{6s}).allowed);  // not full: wait until it is
}

TEST(TokenBucket, GiveBackAndChargeAdjustTheLevel) {
  TokenBucket b(1, 10, core::Time{0});
  ASSERT_TRUE(b.try_take(5, core::Time{0}).allowed);
  b.give_back(20, core::Time{0});
  EXPECT_DOUBLE_EQ(b.level(core::Time{0}), 10);
  b.charge(12, core::Time{0});
  EXPECT_DOUBLE_EQ(b.level(core::Time{0}), -2);
}

TEST(TokenBucket, ReconfigureCapsTheLevel) {
  TokenBucket b(1, 10, core::Time{0});
  b.reconfigure(2, 4, core::Time{0});
  EXPECT_DOUBLE_EQ(b.level(core::Time{0}), 4);
  EXPECT_EQ(b.time_to_full(core::Time{0}), 0ns);
}

TEST(TokenBucket, ClockGoingBackDoesNotRefill) {
  TokenBucket b(1, 10, core::Time{10s});
  ASSERT_TRUE(b.try_take(10, core::Time{10s}).allowed);
  EXPECT_FALSE(b.try_take(1, core::Time{5s}).allowed);
}

}  // namespace
}  // namespace autoglm::limits
