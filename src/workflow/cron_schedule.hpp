// Cron schedules: a CronExpr read in a TimeZone, with next-fire computation across month
// ends, leap days and DST, and the missed-slot policy. Pure functions over immutable values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "workflow/cron_expr.hpp"
#include "workflow/time_zone.hpp"

namespace autoglm::workflow {

// What to do with slots that passed while the gateway was down or busy.
//   skip:     drop them; fire only slots that are due now (within the grace period).
//   run_once: fire once for all of them (at the latest slot's time).
//   run_all:  fire every one of them (at most kMaxCatchUp), oldest first.
enum class MissedPolicy { kSkip, kRunOnce, kRunAll };
// What to do when a slot comes while the previous firing's work is still unfinished.
//   skip:  drop the slot.  queue: hold it until the previous work finishes, then fire.
//   allow: fire anyway, running both.
enum class OverlapPolicy { kSkip, kQueue, kAllow };

std::optional<MissedPolicy> missed_policy_from_name(std::string_view name);
std::optional<OverlapPolicy> overlap_policy_from_name(std::string_view name);
std::string_view missed_policy_name(MissedPolicy p);
std::string_view overlap_policy_name(OverlapPolicy p);

inline constexpr std::size_t kMaxCatchUp = 100;

// The first instant strictly after `after` (Unix seconds) whose local time in `tz`
// matches `expr`. A local time skipped by a spring-forward gap fires at the first instant
// after the gap (as Vixie cron runs jobs of the skipped hour right after the change); a
// local time repeated by a fall-back fires once, at its first occurrence. nullopt when
// nothing matches within five years.
std::optional<std::int64_t> next_fire(const CronExpr& expr, const TimeZone& tz, std::int64_t after);

struct FirePlan {
  std::vector<std::int64_t> fire;    // slot times to fire now, oldest first
  std::optional<std::int64_t> next;  // the trigger's next slot, > now
};

// Slots from `due` (the stored next slot, <= now) to `now` under `policy`; a slot older
// than now - grace counts as missed.
FirePlan plan_fires(const CronExpr& expr, const TimeZone& tz, std::int64_t due, std::int64_t now,
                    MissedPolicy policy, std::int64_t grace_seconds = 60);

}  // namespace autoglm::workflow
