#include "monitor/slow_start.hpp"

#include <gtest/gtest.h>

namespace autoglm::monitor {
namespace {

using std::chrono::seconds;

TEST(SlowStart, LinearRampFromMinWeightToOne) {
  SlowStart s({.window = seconds(10), .aggression = 1.0, .min_weight = 0.1});
  core::Time t0{seconds(100)};
  EXPECT_DOUBLE_EQ(s.multiplier(t0), 1.0) << "not started: full weight";
  s.begin(t0);
  EXPECT_TRUE(s.active(t0));
  EXPECT_DOUBLE_EQ(s.multiplier(t0), 0.1);
  EXPECT_DOUBLE_EQ(s.multiplier(t0 + seconds(5)), 0.5);
  EXPECT_DOUBLE_EQ(s.multiplier(t0 + seconds(9)), 0.9);
  EXPECT_DOUBLE_EQ(s.multiplier(t0 + seconds(10)), 1.0);
  EXPECT_FALSE(s.active(t0 + seconds(10)));
}

TEST(SlowStart, AggressionRampsFasterEarly) {
  SlowStart linear({.window = seconds(10), .aggression = 1.0, .min_weight = 0.01});
  SlowStart eager({.window = seconds(10), .aggression = 2.0, .min_weight = 0.01});
  core::Time t0{0};
  linear.begin(t0);
  eager.begin(t0);
  EXPECT_NEAR(eager.multiplier(t0 + seconds(4)), 0.6324, 1e-3);  // sqrt(0.4)
  EXPECT_GT(eager.multiplier(t0 + seconds(4)), linear.multiplier(t0 + seconds(4)));
}

TEST(SlowStart, MultiplierNeverDecreasesOverTheWindow) {
  SlowStart s({.window = seconds(30), .aggression = 1.5, .min_weight = 0.1});
  s.begin(core::Time{0});
  double last = 0;
  for (int ms = 0; ms <= 31000; ms += 250) {
    double m = s.multiplier(core::Time{std::chrono::milliseconds(ms)});
    EXPECT_GE(m, last);
    EXPECT_GE(m, 0.1);
    EXPECT_LE(m, 1.0);
    last = m;
  }
}

TEST(SlowStart, ZeroWindowIsOffAndCancelStops) {
  SlowStart off({.window = core::Duration::zero()});
  off.begin(core::Time{0});
  EXPECT_FALSE(off.active(core::Time{0}));
  SlowStart s({.window = seconds(10)});
  s.begin(core::Time{0});
  s.cancel();
  EXPECT_DOUBLE_EQ(s.multiplier(core::Time{seconds(1)}), 1.0);
}

TEST(SlowStart, RejectsNonsenseConfig) {
  EXPECT_THROW(SlowStart({.aggression = 0}), std::invalid_argument);
  EXPECT_THROW(SlowStart({.min_weight = 0}), std::invalid_argument);
  EXPECT_THROW(SlowStart({.min_weight = 1.5}), std::invalid_argument);
}

}  // namespace
}  // namespace autoglm::monitor
