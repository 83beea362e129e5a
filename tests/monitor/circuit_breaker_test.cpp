#include "monitor/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace autoglm::monitor {
namespace {

using std::chrono::seconds;
using O = RequestOutcome;

void run(CircuitBreaker& b, O outcome, int n, core::Time now) {
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(b.try_acquire(now), Admission::kAdmitted);
    b.finish(outcome, now);
  }
}

CircuitBreakerConfig config() {
  CircuitBreakerConfig c;
  c.failure_threshold = 3;
  c.open_time = seconds(10);
  c.half_open_trials = 2;
  return c;
}

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndRefuses) {
  CircuitBreaker b(config());
  core::Time now{0};
  run(b, O::kGatewayError, 2, now);
  EXPECT_EQ(b.state(now), BreakerState::kClosed);
  run(b, O::kConnectFailure, 1, now);
  EXPECT_EQ(b.state(now), BreakerState::kOpen);
  EXPECT_EQ(b.try_acquire(now + seconds(5)), Admission::kRejectedOpen);
  EXPECT_EQ(b.times_opened(), 1);
}

TEST(CircuitBreaker, ClientErrorsNeverOpenIt) {
  CircuitBreaker b(config());
  core::Time now{0};
  run(b, O::kClientError, 500, now);
  EXPECT_EQ(b.state(now), BreakerState::kClosed);
  run(b, O::kServerError, 2, now);
  run(b, O::kClientError, 1, now);  // the node answered: streak broken
  run(b, O::kServerError, 2, now);
  EXPECT_EQ(b.state(now), BreakerState::kClosed);
}

TEST(CircuitBreaker, HalfOpenLetsTrialsThroughAndClosesOnSuccess) {
  CircuitBreaker b(config());
  run(b, O::kTimeout, 3, core::Time{0});
  core::Time later{seconds(10)};
  EXPECT_EQ(b.state(later), BreakerState::kHalfOpen);
  EXPECT_EQ(b.try_acquire(later), Admission::kAdmitted);
  EXPECT_EQ(b.try_acquire(later), Admission::kAdmitted);
  EXPECT_EQ(b.try_acquire(later), Admission::kRejectedOpen) << "only two trials at once";
  b.finish(O::kSuccess, later);
  EXPECT_EQ(b.state(later), BreakerState::kHalfOpen);
  b.finish(O::kSuccess, later);
  EXPECT_EQ(b.state(later), BreakerState::kClosed);
  EXPECT_EQ(b.try_acquire(later), Admission::kAdmitted);
}

TEST(CircuitBreaker, FailedTrialReopens) {
  CircuitBreaker b(config());
  run(b, O::kReset, 3, core::Time{0});
  core::Time later{seconds(10)};
  ASSERT_EQ(b.try_acquire(later), Admission::kAdmitted);
  b.finish(O::kGatewayError, later);
  EXPECT_EQ(b.state(later), BreakerState::kOpen);
  EXPECT_EQ(b.open_until(), later + seconds(10));
  EXPECT_EQ(b.times_opened(), 2);
}

TEST(CircuitBreaker, AbandonedTrialFreesItsSlot) {
  CircuitBreaker b(config());
  run(b, O::kReset, 3, core::Time{0});
  core::Time later{seconds(10)};
  ASSERT_EQ(b.try_acquire(later), Admission::kAdmitted);
  ASSERT_EQ(b.try_acquire(later), Admission::kAdmitted);
  b.abandon();
  EXPECT_EQ(b.try_acquire(later), Admission::kAdmitted);
}

TEST(CircuitBreaker, MaxPendingBoundsRequestsInFlight) {
  auto c = config();
  c.max_pending = 2;
  CircuitBreaker b(c);
  core::Time now{0};
  EXPECT_EQ(b.try_acquire(now), Admission::kAdmitted);
  EXPECT_EQ(b.try_acquire(now), Admission::kAdmitted);
  EXPECT_EQ(b.try_acquire(now), Admission::kRejectedMaxPending);
  EXPECT_EQ(b.pending(), 2);
  b.finish(O::kSuccess, now);
  EXPECT_EQ(b.try_acquire(now), Admission::kAdmitted);
  b.abandon();
  b.abandon();
  EXPECT_EQ(b.pending(), 0);
  b.abandon();
  EXPECT_EQ(b.pending(), 0) << "never negative";
}

TEST(CircuitBreaker, DisabledOnlyBoundsPending) {
  auto c = config();
  c.enabled = false;
  CircuitBreaker b(c);
  run(b, O::kConnectFailure, 10, core::Time{0});
  EXPECT_EQ(b.state(core::Time{0}), BreakerState::kClosed);
}

TEST(CircuitBreaker, Names) {
  EXPECT_EQ(breaker_state_name(BreakerState::kHalfOpen), "half_open");
  EXPECT_EQ(admission_name(Admission::kRejectedMaxPending), "max_pending");
}

}  // namespace
}  // namespace autoglm::monitor
