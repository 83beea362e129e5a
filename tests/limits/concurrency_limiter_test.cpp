#include "limits/concurrency_limiter.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace autoglm::limits {
namespace {

TEST(ConcurrencyLimiter, BoundsInFlightAndFreesOnDrop) {
  ConcurrencyLimiter tenants("tenant");
  tenants.set_limit("acme", 2);
  auto a = tenants.try_acquire("acme");
  auto b = tenants.try_acquire("acme");
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  auto c = tenants.try_acquire("acme");
  ASSERT_FALSE(c.is_ok());
  EXPECT_EQ(c.status().code(), core::ErrorCode::kResourceExhausted);
  EXPECT_NE(c.status().message().find("tenant 'acme'"), std::string::npos);
  EXPECT_EQ(tenants.in_flight("acme"), 2u);
  a->release();
  EXPECT_EQ(tenants.in_flight("acme"), 1u);
  EXPECT_TRUE(tenants.try_acquire("acme").is_ok());  // acquired and dropped at once
  EXPECT_EQ(tenants.in_flight("acme"), 1u);
}

TEST(ConcurrencyLimiter, DefaultLimitAndUnbounded) {
  ConcurrencyLimiter nodes("node", 1);
  auto a = nodes.try_acquire("n1");
  ASSERT_TRUE(a.is_ok());
  EXPECT_FALSE(nodes.try_acquire("n1").is_ok());
  EXPECT_TRUE(nodes.try_acquire("n2").is_ok());
  nodes.set_limit("n1", 0);
  std::vector<ConcurrencyLimiter::Permit> held;
  for (int i = 0; i < 100; ++i) {
    auto p = nodes.try_acquire("n1");
    ASSERT_TRUE(p.is_ok());
    held.push_back(std::move(*p));
  }
  EXPECT_EQ(nodes.in_flight("n1"), 101u);
}

TEST(ConcurrencyLimiter, MovedPermitReleasesOnce) {
  ConcurrencyLimiter limiter("tenant", 1);
  {
    auto p = limiter.try_acquire("t");
    ASSERT_TRUE(p.is_ok());
    ConcurrencyLimiter::Permit moved = std::move(*p);
    EXPECT_TRUE(moved.held());
    EXPECT_EQ(limiter.in_flight("t"), 1u);
  }
  EXPECT_EQ(limiter.in_flight("t"), 0u);
}

TEST(ConcurrencyLimiter, PermitOutlivesLimiter) {
  ConcurrencyLimiter::Permit kept;
  {
    ConcurrencyLimiter limiter("node", 1);
    auto p = limiter.try_acquire("n");
    ASSERT_TRUE(p.is_ok());
    kept = std::move(*p);
  }
  kept.release();  // must not touch freed memory (ASan would say)
  EXPECT_FALSE(kept.held());
}

}  // namespace
}  // namespace autoglm::limits
