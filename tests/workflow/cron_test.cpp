// Cron: expression parsing, next-fire times across month ends, leap days and DST (New York,
// Berlin), Vixie day-of-month/day-of-week OR semantics, missed-slot policies, TZif reading.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "workflow/cron_expr.hpp"
#include "workflow/cron_schedule.hpp"
#include "workflow/time_zone.hpp"

namespace autoglm::workflow {
namespace {

using namespace std::chrono;

// Unix seconds of a UTC civil time.
std::int64_t utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return sys_days(year(y) / month(mo) / day(d)).time_since_epoch().count() * 86400LL + h * 3600 +
         mi * 60;
}

CronExpr cron(std::string_view s) {
  auto e = CronExpr::parse(s);
  EXPECT_TRUE(e) << e.status().message();
  return e ? *e : *CronExpr::parse("* * * * *");
}

TimeZone zone(const std::string& name) {
  auto z = TimeZone::load(name);
  EXPECT_TRUE(z) << z.status().message();
  return z ? *z : TimeZone::utc();
}

bool have_tzdata() { return std::filesystem::exists("/usr/share/zoneinfo/America/New_York"); }

std::int64_t next(std::string_view expr, const TimeZone& tz, std::int64_t after) {
  auto n = next_fire(cron(expr), tz, after);
  EXPECT_TRUE(n.has_value());
  return n.value_or(-1);
}

TEST(CronExpr, ReportsTheFieldInErrors) {
  auto e = CronExpr::parse("61 * * * *");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.status().message(), "cron: minute: 61 is out of range 0-59");
  EXPECT_EQ(e.status().param(), "schedule");
  EXPECT_NE(CronExpr::parse("0 24 * * *").status().message().find("hour"), std::string::npos);
  EXPECT_NE(CronExpr::parse("* * * *").status().message().find("expected 5 fields"),
            std::string::npos);
  EXPECT_NE(CronExpr::parse("@often").status().message().find("unknown alias"), std::string::npos);
  EXPECT_NE(CronExpr::parse("0 0 * foo *").status().message().find("month"), std::string::npos);
  EXPECT_NE(CronExpr::parse("*/0 * * * *").status().message().find("step"), std::string::npos);
  EXPECT_NE(CronExpr::parse("0 0 5-1 * *").status().message().find("backwards"), std::string::npos);
  EXPECT_NE(CronExpr::parse("0 0 30 2 *").status().message().find("never occurs"),
            std::string::npos);
  EXPECT_FALSE(CronExpr::parse("1,,2 * * * *"));
}

TEST(CronExpr, ListsRangesStepsAndNames) {
  const CronExpr e = cron("5/20,7 9-17/4 * JAN-mar mon-fri");
  for (int m : {5, 7, 25, 45}) EXPECT_TRUE(e.matches_minute(m)) << m;
  EXPECT_FALSE(e.matches_minute(6));
  for (int h : {9, 13, 17}) EXPECT_TRUE(e.matches_hour(h)) << h;
  EXPECT_FALSE(e.matches_hour(10));
  EXPECT_TRUE(e.matches_month(3));
  EXPECT_FALSE(e.matches_month(4));
  EXPECT_TRUE(e.matches_day(1, 1));
  EXPECT_FALSE(e.matches_day(1, 0));
  EXPECT_TRUE(cron("0 0 * * 7").matches_day(4, 0));  // 7 is Sunday too
}

TEST(CronSchedule, AliasesExpand) {
  const auto tz = TimeZone::utc();
  const auto t = utc(2025, 6, 15, 10, 30);
  EXPECT_EQ(next("@hourly", tz, t), utc(2025, 6, 15, 11));
  EXPECT_EQ(next("@daily", tz, t), utc(2025, 6, 16));
  EXPECT_EQ(next("@midnight", tz, t), utc(2025, 6, 16));
  EXPECT_EQ(next("@weekly", tz, t), utc(2025, 6, 22));  // a Sunday
  EXPECT_EQ(next("@monthly", tz, t), utc(2025, 7, 1));
  EXPECT_EQ(next("@yearly", tz, t), utc(2026, 1, 1));
  EXPECT_EQ(next("@annually", tz, t), utc(2026, 1, 1));
}

TEST(CronSchedule, SeedExampleEveryDayAt0800) {
  const auto tz = TimeZone::utc();
  EXPECT_EQ(next("0 8 * * *", tz, utc(2025, 1, 1, 7, 59)), utc(2025, 1, 1, 8));
  EXPECT_EQ(next("0 8 * * *", tz, utc(2025, 1, 1, 8)), utc(2025, 1, 2, 8));  // strictly after
  EXPECT_EQ(next("0 8 * * *", tz, utc(2025, 12, 31, 9)), utc(2026, 1, 1, 8));
}

TEST(CronSchedule, MonthEndsSkipMonthsWithoutTheDay) {
  const auto tz = TimeZone::utc();
  EXPECT_EQ(next("0 0 31 * *", tz, utc(2025, 3, 31, 1)), utc(2025, 5, 31));
  EXPECT_EQ(next("0 0 30 * *", tz, utc(2025, 1, 30, 1)), utc(2025, 3, 30));
  EXPECT_EQ(next("59 23 28-31 2 *", tz, utc(2025, 2, 28, 23, 59)), utc(2026, 2, 28, 23, 59));
}

TEST(CronSchedule, LeapDayFiresOnlyInLeapYears) {
  const auto tz = TimeZone::utc();
  EXPECT_EQ(next("0 12 29 2 *", tz, utc(2025, 3, 1)), utc(2028, 2, 29, 12));
  EXPECT_EQ(next("0 12 29 2 *", tz, utc(2024, 1, 1)), utc(2024, 2, 29, 12));
  // 2100 is not a leap year: from 2096 the next Feb 29 is 2104, past the 5-year horizon.
  EXPECT_FALSE(next_fire(cron("0 0 29 2 *"), tz, utc(2096, 3, 1)).has_value());
}

TEST(CronSchedule, DayOfMonthOrDayOfWeekAsVixieCron) {
  const auto tz = TimeZone::utc();
  // Both restricted: the 13th OR a Friday. 2025-01-03 is a Friday, 2025-01-13 a Monday.
  EXPECT_EQ(next("0 0 13 * fri", tz, utc(2025, 1, 1)), utc(2025, 1, 3));
  EXPECT_EQ(next("0 0 13 * fri", tz, utc(2025, 1, 11)), utc(2025, 1, 13));
  // Day-of-month starting with '*': both must match (Fridays on odd days).
  EXPECT_EQ(next("0 0 */2 * fri", tz, utc(2025, 1, 4)), utc(2025, 1, 17));
  // Only day-of-week restricted.
  EXPECT_EQ(next("0 0 * * mon", tz, utc(2025, 1, 1)), utc(2025, 1, 6));
}

TEST(CronSchedule, NewYorkSpringForwardRunsSkippedTimeAfterTheGap) {
  if (!have_tzdata()) GTEST_SKIP() << "tzdata is not installed";
  const auto ny = zone("America/New_York");
  // 2025-03-09 02:00 EST jumps to 03:00 EDT (07:00Z); 02:30 does not exist that day.
  EXPECT_EQ(next("30 2 * * *", ny, utc(2025, 3, 8, 12)), utc(2025, 3, 9, 7));
  EXPECT_EQ(next("30 2 * * *", ny, utc(2025, 3, 9, 7)), utc(2025, 3, 10, 6, 30));
  EXPECT_EQ(next("0 8 * * *", ny, utc(2025, 3, 8, 14)), utc(2025, 3, 9, 12));  // 08:00 EDT
  EXPECT_EQ(next("0 8 * * *", ny, utc(2025, 3, 7, 14)), utc(2025, 3, 8, 13));  // 08:00 EST
}

TEST(CronSchedule, NewYorkFallBackRunsRepeatedTimeOnce) {
  if (!have_tzdata()) GTEST_SKIP() << "tzdata is not installed";
  const auto ny = zone("America/New_York");
  // 2025-11-02 02:00 EDT falls back to 01:00 EST: 01:30 happens at 05:30Z and 06:30Z.
  EXPECT_EQ(next("30 1 * * *", ny, utc(2025, 11, 1, 12)), utc(2025, 11, 2, 5, 30));
  EXPECT_EQ(next("30 1 * * *", ny, utc(2025, 11, 2, 5, 30)), utc(2025, 11, 3, 6, 30));
  // The repeated 01:00 hour is not run twice: after 01:00 EDT comes 02:00 EST.
  EXPECT_EQ(next("0 * * * *", ny, utc(2025, 11, 2, 5)), utc(2025, 11, 2, 7));
}

TEST(CronSchedule, BerlinDstBothWays) {
  if (!have_tzdata()) GTEST_SKIP() << "tzdata is not installed";
  const auto berlin = zone("Europe/Berlin");
  EXPECT_EQ(next("0 8 * * *", berlin, utc(2025, 3, 29, 0)), utc(2025, 3, 29, 7));  // CET
  EXPECT_EQ(next("0 8 * * *", berlin, utc(2025, 3, 29, 7)), utc(2025, 3, 30, 6));  // CEST
  // 2025-03-30 02:00-03:00 does not exist: both 02:00 and 02:30 fire once at 01:00Z.
  EXPECT_EQ(next("*/30 2 * * *", berlin, utc(2025, 3, 29, 23)), utc(2025, 3, 30, 1));
  EXPECT_EQ(next("*/30 2 * * *", berlin, utc(2025, 3, 30, 1)), utc(2025, 3, 31, 0));
  // 2025-10-26 03:00 CEST falls back to 02:00 CET: 02:15 runs once, at 00:15Z.
  EXPECT_EQ(next("15 2 * * *", berlin, utc(2025, 10, 25, 12)), utc(2025, 10, 26, 0, 15));
  EXPECT_EQ(next("15 2 * * *", berlin, utc(2025, 10, 26, 0, 15)), utc(2025, 10, 27, 1, 15));
}

TEST(TimeZone, UsesTheFooterRuleBeyondTheTable) {
  if (!have_tzdata()) GTEST_SKIP() << "tzdata is not installed";
  const auto ny = zone("America/New_York");
  EXPECT_EQ(ny.offset_at(utc(2060, 7, 1)), -4 * 3600);
  EXPECT_EQ(ny.offset_at(utc(2060, 1, 1)), -5 * 3600);
  EXPECT_EQ(ny.offset_at(utc(2025, 7, 1)), -4 * 3600);
}

TEST(TimeZone, ReadsPosixRulesAndRejectsUnknownZones) {
  auto cet = TimeZone::from_posix("CET-1CEST,M3.5.0,M10.5.0/3", "cet");
  ASSERT_TRUE(cet);
  EXPECT_EQ(cet->offset_at(utc(2031, 1, 15)), 3600);
  EXPECT_EQ(cet->offset_at(utc(2031, 7, 15)), 7200);
  auto south = TimeZone::from_posix("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "lord-howe-ish");
  ASSERT_TRUE(south);
  EXPECT_EQ(south->offset_at(utc(2031, 1, 15)), 11 * 3600);
  EXPECT_EQ(south->offset_at(utc(2031, 7, 15)), 10 * 3600 + 1800);
  auto unknown = TimeZone::load("Mars/Olympus_Mons");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().param(), "timezone");
  EXPECT_FALSE(TimeZone::load("../etc/passwd"));
  EXPECT_FALSE(TimeZone::from_tzif("not a tzif file at all, clearly not one", "x"));
}

TEST(MissedPolicy, SkipRunOnceRunAll) {
  const auto tz = TimeZone::utc();
  const CronExpr hourly = cron("0 * * * *");
  const auto due = utc(2025, 1, 1, 10);
  const auto now = utc(2025, 1, 1, 13, 30);
  auto skip = plan_fires(hourly, tz, due, now, MissedPolicy::kSkip);
  EXPECT_TRUE(skip.fire.empty());
  EXPECT_EQ(skip.next, utc(2025, 1, 1, 14));
  auto once = plan_fires(hourly, tz, due, now, MissedPolicy::kRunOnce);
  EXPECT_EQ(once.fire, (std::vector<std::int64_t>{utc(2025, 1, 1, 13)}));
  auto all = plan_fires(hourly, tz, due, now, MissedPolicy::kRunAll);
  EXPECT_EQ(all.fire.size(), 4u);
  EXPECT_EQ(all.fire.front(), due);
  // A slot seen within the grace period is not "missed".
  auto on_time = plan_fires(hourly, tz, due, due + 5, MissedPolicy::kSkip);
  EXPECT_EQ(on_time.fire, (std::vector<std::int64_t>{due}));
}

}  // namespace
}  // namespace autoglm::workflow
