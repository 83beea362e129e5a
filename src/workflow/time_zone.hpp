// Time zones for cron: read from the system tz database (/usr/share/zoneinfo TZif files,
// RFC 8536, with the POSIX TZ footer for years past the table). GCC 12 lacks std::chrono::tzdb.
// A TimeZone is immutable after loading, so it is safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::workflow {

// Where a local wall-clock time falls: one instant, two (a fall-back overlap; earlier
// first) or none (a spring-forward gap; gap_end is the first instant after the gap).
struct LocalTimeResult {
  int count = 0;
  std::int64_t first = 0;    // Unix seconds
  std::int64_t second = 0;   // when count == 2
  std::int64_t gap_end = 0;  // when count == 0
};

class TimeZone {
 public:
  static TimeZone utc();
  // "America/New_York", "UTC", ... from `zoneinfo_dir`. kInvalidArgument (param "timezone")
  // for a name that is not in the database or a file that is not TZif.
  static core::Result<TimeZone> load(std::string_view name,
                                     std::string_view zoneinfo_dir = "/usr/share/zoneinfo");
  // From the bytes of a TZif file.
  static core::Result<TimeZone> from_tzif(std::string_view bytes, std::string name);
  // From a POSIX TZ rule alone, e.g. "CET-1CEST,M3.5.0,M10.5.0/3".
  static core::Result<TimeZone> from_posix(std::string_view rule, std::string name);

  const std::string& name() const { return name_; }
  // Seconds east of UTC at the instant `utc` (Unix seconds).
  std::int32_t offset_at(std::int64_t utc) const;
  // The instants whose local time reads `local` (seconds since 1970-01-01T00:00 local).
  LocalTimeResult to_utc(std::int64_t local) const;

  // A parsed POSIX TZ rule (std offset, optional DST offset and its start/end rules).
  struct PosixRule {
    std::int32_t std_offset = 0;  // seconds east of UTC
    bool has_dst = false;
    std::int32_t dst_offset = 0;
    struct Date {
      char form = 'M';  // 'M' (month.week.day), 'J' (1-365, no Feb 29), 'N' (0-365)
      int month = 0, week = 0, weekday = 0, day = 0;
      std::int32_t time = 7200;  // seconds after local midnight
    } start, end;
  };

 private:
  std::int32_t rule_offset(std::int64_t utc) const;

  std::string name_;
  std::vector<std::int64_t> transitions_;        // ascending Unix seconds
  std::vector<std::int32_t> transition_offset_;  // offset from transitions_[i] on
  std::int32_t initial_offset_ = 0;              // before the first transition
  bool has_rule_ = false;
  PosixRule rule_;
};

}  // namespace autoglm::workflow
