#include "workflow/cron_schedule.hpp"

#include <chrono>

namespace autoglm::workflow {

namespace {

struct Civil {
  int year, month, day, hour, minute, weekday;
};

constexpr std::int64_t kDay = 86400;

Civil civil(std::int64_t local) {
  using namespace std::chrono;
  const auto d = floor<days>(sys_seconds(seconds(local)));
  const year_month_day ymd(d);
  const std::int64_t secs = local - d.time_since_epoch().count() * kDay;
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(secs / 3600),
          static_cast<int>(secs % 3600 / 60),
          static_cast<int>(weekday(d).c_encoding())};
}

std::int64_t local_at(int y, int m, int d, int hh = 0, int mm = 0) {
  using namespace std::chrono;
  const sys_days day = year_month_day(year(y), month(static_cast<unsigned>(m)),
                                      std::chrono::day(static_cast<unsigned>(d)));
  return day.time_since_epoch().count() * kDay + hh * 3600 + mm * 60;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::optional<MissedPolicy> missed_policy_from_name(std::string_view n) {
  if (n == "skip") return MissedPolicy::kSkip;
  if (n == "run_once") return MissedPolicy::kRunOnce;
  if (n == "run_all") return MissedPolicy::kRunAll;
  return std::nullopt;
}

std::optional<OverlapPolicy> overlap_policy_from_name(std::string_view n) {
  if (n == "skip") return OverlapPolicy::kSkip;
  if (n == "queue") return OverlapPolicy::kQueue;
  if (n == "allow") return OverlapPolicy::kAllow;
  return std::nullopt;
}

std::string_view missed_policy_name(MissedPolicy p) {
  return p == MissedPolicy::kSkip ? "skip" : p == MissedPolicy::kRunOnce ? "run_once" : "run_all";
}

std::string_view overlap_policy_name(OverlapPolicy p) {
  return p == OverlapPolicy::kSkip ? "skip" : p == OverlapPolicy::kQueue ? "queue" : "allow";
}

std::optional<std::int64_t> next_fire(const CronExpr& expr, const TimeZone& tz,
                                      std::int64_t after) {
  // Walk local civil time from the minute after `after`, jumping whole months, days and
  // hours that cannot match.
  std::int64_t local = floor_div(after + tz.offset_at(after), 60) * 60 + 60;
  const std::int64_t limit = local + 5 * 366 * kDay;
  while (local < limit) {
    const Civil c = civil(local);
    if (!expr.matches_month(c.month)) {
      local = c.month == 12 ? local_at(c.year + 1, 1, 1) : local_at(c.year, c.month + 1, 1);
      continue;
    }
    if (!expr.matches_day(c.day, c.weekday)) {
      local = local_at(c.year, c.month, c.day) + kDay;
      continue;
    }
    if (!expr.matches_hour(c.hour)) {
      local = local_at(c.year, c.month, c.day, c.hour) + 3600;
      continue;
    }
    if (!expr.matches_minute(c.minute)) {
      local += 60;
      continue;
    }
    const LocalTimeResult r = tz.to_utc(local);
    const std::int64_t at = r.count == 0 ? r.gap_end : r.first;
    if (at > after) return at;
    local += 60;
  }
  return std::nullopt;
}

FirePlan plan_fires(const CronExpr& expr, const TimeZone& tz, std::int64_t due, std::int64_t now,
                    MissedPolicy policy, std::int64_t grace_seconds) {
  std::vector<std::int64_t> slots;
  std::optional<std::int64_t> slot = due;
  while (slot && *slot <= now) {
    slots.push_back(*slot);
    if (slots.size() > kMaxCatchUp) slots.erase(slots.begin());
    slot = next_fire(expr, tz, *slot);
  }
  FirePlan plan;
  plan.next = slot;
  if (slots.empty()) return plan;
  switch (policy) {
    case MissedPolicy::kSkip:
      for (auto s : slots)
        if (s >= now - grace_seconds) plan.fire.push_back(s);
      break;
    case MissedPolicy::kRunOnce:
      plan.fire.push_back(slots.back());
      break;
    case MissedPolicy::kRunAll:
      plan.fire = std::move(slots);
      break;
  }
  return plan;
}

}  // namespace autoglm::workflow
