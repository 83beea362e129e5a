#include "metrics/instruments.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace autoglm::metrics {
namespace {

TEST(Counter, OnlyGoesUp) {
  Counter c;
  c.inc();
  c.inc(2.5);
  c.inc(-10);
  EXPECT_DOUBLE_EQ(c.value(), 3.5);
}

TEST(Gauge, SetIncDec) {
  Gauge g;
  g.set(10);
  g.inc(2);
  g.dec(5);
  EXPECT_DOUBLE_EQ(g.value(), 7);
}

TEST(Histogram, BucketsAreLessOrEqualAndCumulative) {
  std::vector<double> bounds{1, 2, 5};
  Histogram h(bounds);
  for (double v : {0.5, 1.0, 1.5, 2.0, 4.9, 5.0, 7.0}) h.observe(v);
  auto s = h.snapshot();
  ASSERT_EQ(s.cumulative.size(), 4u);
  EXPECT_EQ(s.cumulative[0], 2u);  // 0.5, 1.0
  EXPECT_EQ(s.cumulative[1], 4u);  // + 1.5, 2.0
  EXPECT_EQ(s.cumulative[2], 6u);  // + 4.9, 5.0
  EXPECT_EQ(s.cumulative[3], 7u);  // + 7.0 in +Inf
  EXPECT_EQ(s.count, 7u);
  EXPECT_DOUBLE_EQ(s.sum, 21.9);
}

TEST(Instruments, ConcurrentUpdatesAreNotLost) {
  Counter c;
  std::vector<double> bounds{0.5};
  Histogram h(bounds);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(1.0);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_DOUBLE_EQ(c.value(), 40000);
  EXPECT_EQ(h.snapshot().count, 40000u);
  EXPECT_DOUBLE_EQ(h.snapshot().sum, 40000);
}

TEST(Buckets, DefaultAndExponential) {
  auto d = default_buckets();
  EXPECT_EQ(d.front(), 0.005);
  EXPECT_EQ(d.back(), 10);
  auto e = exponential_buckets(0.01, 2, 4);
  EXPECT_EQ(e, (std::vector<double>{0.01, 0.02, 0.04, 0.08}));
  EXPECT_THROW(exponential_buckets(0, 2, 3), std::invalid_argument);
  EXPECT_THROW(exponential_buckets(1, 1, 3), std::invalid_argument);
}

}  // namespace
}  // namespace autoglm::metrics
