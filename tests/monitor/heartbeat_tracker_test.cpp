#include "monitor/heartbeat_tracker.hpp"

#include <gtest/gtest.h>

namespace autoglm::monitor {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(HeartbeatTracker, CountsWholeMissedIntervals) {
  HeartbeatTracker t(seconds(1));
  core::Time t0{seconds(10)};
  EXPECT_FALSE(t.ever_seen());
  EXPECT_FALSE(t.age(t0).has_value());
  t.beat(t0);
  EXPECT_EQ(t.missed(t0), 0);
  EXPECT_EQ(t.missed(t0 + milliseconds(999)), 0);
  EXPECT_EQ(t.missed(t0 + milliseconds(1000)), 1);
  EXPECT_EQ(t.missed(t0 + milliseconds(3500)), 3);
  EXPECT_EQ(*t.age(t0 + milliseconds(3500)), milliseconds(3500));
  t.beat(t0 + seconds(4));
  EXPECT_EQ(t.missed(t0 + seconds(4)), 0);
}

TEST(HeartbeatTracker, BeforeTheFirstBeatCountsFromRegistration) {
  HeartbeatTracker t(milliseconds(500));
  core::Time registered{seconds(5)};
  EXPECT_EQ(t.missed(registered + seconds(2), registered), 4);
}

TEST(HeartbeatTracker, OutOfOrderBeatDoesNotGoBack) {
  HeartbeatTracker t(seconds(1));
  t.beat(core::Time{seconds(5)});
  t.beat(core::Time{seconds(3)});
  EXPECT_EQ(*t.last_seen(), core::Time{seconds(5)});
}

TEST(HeartbeatTracker, IntervalMustBePositive) {
  EXPECT_THROW(HeartbeatTracker(core::Duration::zero()), std::invalid_argument);
  HeartbeatTracker t(seconds(1));
  t.set_interval(seconds(2));
  t.beat(core::Time{0});
  EXPECT_EQ(t.missed(core::Time{seconds(5)}), 2);
}

}  // namespace
}  // namespace autoglm::monitor
