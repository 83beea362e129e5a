// Cron expressions: the five fields (minute hour day-of-month month day-of-week) with
// lists, ranges, steps and month/day names, plus @yearly-style aliases. Pure value type.
#pragma once

#include <bitset>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::workflow {

class CronExpr {
 public:
  // Fields: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of
  // week 0-7 or sun-sat (0 and 7 are Sunday). Each field is `*`, a value, a range a-b,
  // any of those with /step, or a comma list of them. Aliases: @yearly @annually
  // @monthly @weekly @daily @midnight @hourly. Errors name the field ("cron: hour: 24 is
  // out of range 0-23"), param "schedule".
  static core::Result<CronExpr> parse(std::string_view text);

  // Whether a local civil time matches. Vixie cron semantics: when both day-of-month
  // and day-of-week are restricted (neither starts with `*`), either may match; when one
  // is `*`, only the other counts.
  bool matches_minute(int minute) const { return minutes_[minute]; }
  bool matches_hour(int hour) const { return hours_[hour]; }
  bool matches_month(int month) const { return months_[month]; }
  // day 1-31, weekday 0-6 (Sunday 0).
  bool matches_day(int day_of_month, int weekday) const;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1-31
  std::bitset<13> months_;   // 1-12
  std::bitset<8> weekdays_;  // 0-6 (7 folded onto 0)
  bool dom_star_ = false;
  bool dow_star_ = false;
};

}  // namespace autoglm::workflow
