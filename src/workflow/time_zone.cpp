#include "workflow/time_zone.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <tuple>

namespace autoglm::workflow {

namespace {

using Rule = TimeZone::PosixRule;

std::int64_t be(std::string_view b, std::size_t pos, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

// --- POSIX TZ rule parsing (a small recursive-descent reader over the string) ---
struct Reader {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() == c) {
      ++i;
      return true;
    }
    return false;
  }
  bool number(int& out) {
    const std::size_t start = i;
    out = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(s[i])))
      out = out * 10 + (s[i++] - '0');
    return i > start;
  }
  bool name() {
    if (eat('<')) {
      while (!done() && s[i] != '>') ++i;
      return eat('>');
    }
    const std::size_t start = i;
    while (!done() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    return i - start >= 3;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  bool hms(std::int32_t& out) {
    int sign = 1;
    if (eat('-'))
      sign = -1;
    else
      eat('+');
    int h = 0, m = 0, sec = 0;
    if (!number(h)) return false;
    if (eat(':')) {
      if (!number(m)) return false;
      if (eat(':') && !number(sec)) return false;
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool date(Rule::Date& d) {
    if (eat('M')) {
      d.form = 'M';
      if (!number(d.month) || !eat('.') || !number(d.week) || !eat('.') || !number(d.weekday))
        return false;
      if (d.month < 1 || d.month > 12 || d.week < 1 || d.week > 5 || d.weekday > 6) return false;
    } else if (eat('J')) {
      d.form = 'J';
      if (!number(d.day) || d.day < 1 || d.day > 365) return false;
    } else {
      d.form = 'N';
      if (!number(d.day) || d.day > 365) return false;
    }
    d.time = 7200;
    if (eat('/') && !hms(d.time)) return false;
    return true;
  }
};

bool parse_rule(std::string_view text, Rule& r) {
  Reader rd{text};
  std::int32_t off = 0;
  if (!rd.name() || !rd.hms(off)) return false;
  r.std_offset = -off;  // POSIX counts west as positive
  if (rd.done()) return true;
  if (!rd.name()) return false;
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (rd.peek() != ',' && !rd.done()) {
    if (!rd.hms(off)) return false;
    r.dst_offset = -off;
  }
  if (rd.done()) {  // no rules given: the POSIX default, US rules
    r.start = {'M', 3, 2, 0, 0, 7200};
    r.end = {'M', 11, 1, 0, 0, 7200};
    return true;
  }
  return rd.eat(',') && rd.date(r.start) && rd.eat(',') && rd.date(r.end) && rd.done();
}

// Local seconds (since the local epoch) at which rule date `d` happens in `year`.
std::int64_t rule_local_time(const Rule::Date& d, int year) {
  using namespace std::chrono;
  const auto y = std::chrono::year(year);
  sys_days day;
  if (d.form == 'M') {
    const auto m = month(static_cast<unsigned>(d.month));
    const auto wd = weekday(static_cast<unsigned>(d.weekday));
    if (d.week == 5)
      day = sys_days(year_month_weekday_last(y, m, weekday_last(wd)));
    else
      day = sys_days(year_month_weekday(y, m, weekday_indexed(wd, static_cast<unsigned>(d.week))));
  } else {
    int n = d.form == 'J' ? d.day - 1 : d.day;
    if (d.form == 'J' && y.is_leap() && d.day >= 60) ++n;  // Jn never counts Feb 29
    day = sys_days(y / January / 1) + days(n);
  }
  return day.time_since_epoch().count() * 86400LL + d.time;
}

int year_of(std::int64_t local_seconds) {
  using namespace std::chrono;
  const auto day = floor<days>(sys_seconds(seconds(local_seconds)));
  return static_cast<int>(year_month_day(day).year());
}

}  // namespace

TimeZone TimeZone::utc() {
  TimeZone z;
  z.name_ = "UTC";
  return z;
}

core::Result<TimeZone> TimeZone::from_posix(std::string_view rule, std::string name) {
  TimeZone z;
  z.name_ = std::move(name);
  if (!parse_rule(rule, z.rule_)) {
    return core::invalid_argument("time zone '" + z.name_ +
                                      "' has a rule this reader does not "
                                      "understand: '" +
                                      std::string(rule) + "'",
                                  "timezone");
  }
  z.has_rule_ = true;
  z.initial_offset_ = z.rule_.std_offset;
  return z;
}

core::Result<TimeZone> TimeZone::from_tzif(std::string_view b, std::string name) {
  auto bad = [&](const std::string& why) {
    return core::invalid_argument("time zone file for '" + name + "' is not usable: " + why,
                                  "timezone");
  };
  if (b.size() < 44 || b.substr(0, 4) != "TZif") return bad("not a TZif file");
  auto counts = [&](std::size_t at, std::int64_t c[6]) {
    for (int k = 0; k < 6; ++k) c[k] = be(b, at + 20 + 4 * k, 4);
  };
  std::int64_t c[6];
  counts(0, c);
  std::size_t pos = 44;
  int tsize = 4;
  if (b[4] >= '2') {  // skip the 32-bit block; read the 64-bit one that follows
    pos += static_cast<std::size_t>(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    if (b.size() < pos + 44) return bad("truncated");
    counts(pos, c);
    pos += 44;
    tsize = 8;
  }
  const std::size_t isut = static_cast<std::size_t>(c[0]), isstd = static_cast<std::size_t>(c[1]),
                    leap = static_cast<std::size_t>(c[2]), timecnt = static_cast<std::size_t>(c[3]),
                    typecnt = static_cast<std::size_t>(c[4]),
                    charcnt = static_cast<std::size_t>(c[5]);
  const std::size_t ts = static_cast<std::size_t>(tsize);
  const std::size_t need =
      timecnt * (ts + 1) + typecnt * 6 + charcnt + leap * (ts + 4) + isstd + isut;
  if (typecnt < 1 || b.size() < pos + need) return bad("truncated");
  TimeZone z;
  z.name_ = std::move(name);
  const std::size_t types_at = pos + timecnt * (ts + 1);
  auto type_offset = [&](std::size_t t) {
    return static_cast<std::int32_t>(be(b, types_at + 6 * t, 4));
  };
  for (std::size_t i = 0; i < timecnt; ++i) {
    const auto idx = static_cast<unsigned char>(b[pos + timecnt * ts + i]);
    if (idx >= typecnt) return bad("bad type index");
    z.transitions_.push_back(be(b, pos + i * ts, tsize));
    z.transition_offset_.push_back(type_offset(idx));
  }
  z.initial_offset_ = type_offset(0);
  pos += need;
  if (tsize == 8 && pos < b.size() && b[pos] == '\n') {
    const auto end = b.find('\n', pos + 1);
    const auto footer = b.substr(pos + 1, end == std::string_view::npos ? 0 : end - pos - 1);
    if (!footer.empty()) {
      if (!parse_rule(footer, z.rule_))
        return bad("unreadable footer rule '" + std::string(footer) + "'");
      z.has_rule_ = true;
    }
  }
  return z;
}

core::Result<TimeZone> TimeZone::load(std::string_view name, std::string_view zoneinfo_dir) {
  if (name.empty() || name == "UTC" || name == "Etc/UTC") return utc();
  if (name.find("..") != std::string_view::npos || name.front() == '/') {
    return core::invalid_argument("time zone '" + std::string(name) +
                                      "' is not a tz database name "
                                      "like Europe/Berlin",
                                  "timezone");
  }
  std::ifstream in(std::string(zoneinfo_dir) + "/" + std::string(name), std::ios::binary);
  if (!in) {
    return core::invalid_argument("unknown time zone '" + std::string(name) +
                                      "'; use a tz database name like America/New_York",
                                  "timezone");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return from_tzif(ss.str(), std::string(name));
}

std::int32_t TimeZone::rule_offset(std::int64_t utc) const {
  if (!rule_.has_dst) return rule_.std_offset;
  const int year = year_of(utc + rule_.std_offset);
  const std::int64_t start = rule_local_time(rule_.start, year) - rule_.std_offset;
  const std::int64_t end = rule_local_time(rule_.end, year) - rule_.dst_offset;
  const bool dst = start < end ? (utc >= start && utc < end) : !(utc >= end && utc < start);
  return dst ? rule_.dst_offset : rule_.std_offset;
}

std::int32_t TimeZone::offset_at(std::int64_t utc) const {
  if (transitions_.empty() || utc >= transitions_.back()) {
    if (has_rule_) return rule_offset(utc);
    return transitions_.empty() ? initial_offset_ : transition_offset_.back();
  }
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  if (it == transitions_.begin()) return initial_offset_;
  return transition_offset_[static_cast<std::size_t>(it - transitions_.begin() - 1)];
}

LocalTimeResult TimeZone::to_utc(std::int64_t local) const {
  // Real zones change offset at most once within a day either side of any instant.
  const std::int32_t before = offset_at(local - 86400 - 3600 * 26);
  const std::int32_t after = offset_at(local + 86400);
  LocalTimeResult r;
  std::int64_t found[2];
  for (std::int32_t off : {before, after}) {
    const std::int64_t u = local - off;
    if (offset_at(u) == off && (r.count == 0 || found[0] != u)) found[r.count++] = u;
  }
  if (r.count == 2 && found[1] < found[0]) std::swap(found[0], found[1]);
  if (r.count >= 1) r.first = found[0];
  if (r.count == 2) r.second = found[1];
  if (r.count == 0) {
    // In a gap: the first instant whose offset is the new one.
    std::int64_t lo = local - before - 2 * 86400, hi = local - before;
    while (lo < hi) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (offset_at(mid) == after)
        hi = mid;
      else
        lo = mid + 1;
    }
    r.gap_end = lo;
  }
  return r;
}

}  // namespace autoglm::workflow
