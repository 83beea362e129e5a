#include "sim/time_series.hpp"

#include <gtest/gtest.h>

namespace autoglm::sim {
namespace {

using namespace std::chrono_literals;

ClusterSample at(double v) { return ClusterSample{v / 100, v, 2 * v, 0}; }

TEST(TimeSeries, KeepsSamplesAtTheBaseIntervalUntilFull) {
  TimeSeries s(core::Time(5s), 1s, 8);
  for (int i = 0; i < 7; ++i) s.push(at(i));
  ASSERT_EQ(s.size(), 7u);
  EXPECT_EQ(s.interval(), 1s);
  EXPECT_EQ(s.time_of(0), core::Time(6s));
  EXPECT_DOUBLE_EQ(s.samples()[3].queued, 3);
}

TEST(TimeSeries, MergesNeighboursWhenFullSoMemoryStaysBounded) {
  TimeSeries s(core::Time(0s), 1s, 8);
  for (int i = 0; i < 1000; ++i) s.push(at(i));
  EXPECT_LE(s.size(), 8u);
  EXPECT_GE(s.size(), 4u);
  // Each stored sample is the mean of the pushes its interval covers.
  const auto per = static_cast<int>(s.interval() / 1s);
  for (std::size_t k = 0; k < s.size(); ++k) {
    const double first = double(k) * per, mean = first + (per - 1) / 2.0;
    EXPECT_DOUBLE_EQ(s.samples()[k].queued, mean) << k;
    EXPECT_DOUBLE_EQ(s.samples()[k].waiting, 2 * mean) << k;
  }
  EXPECT_EQ(s.time_of(s.size() - 1),
            core::Time(s.interval() * static_cast<std::int64_t>(s.size())));
}

TEST(TimeSeries, DefaultConstructedRecordsNothing) {
  TimeSeries s;
  s.push(at(1));
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace autoglm::sim
