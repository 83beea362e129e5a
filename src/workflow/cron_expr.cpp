#include "workflow/cron_expr.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace autoglm::workflow {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct FieldDef {
  std::string_view name;
  int min, max;
  const std::string_view* names;  // nullptr, or names for min..min+count-1
  int name_count;
};

core::Status field_error(const FieldDef& f, const std::string& why) {
  return core::invalid_argument("cron: " + std::string(f.name) + ": " + why, "schedule");
}

core::Result<int> value(const FieldDef& f, std::string_view s) {
  std::string lower(s);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; f.names != nullptr && i < f.name_count; ++i) {
    if (lower == f.names[i]) return f.name == "month" ? i + 1 : i;
  }
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    return field_error(f,
                       "'" + std::string(s) + "' is not a number" + (f.names ? " or a name" : ""));
  }
  if (v < f.min || v > f.max) {
    return field_error(f, std::to_string(v) + " is out of range " + std::to_string(f.min) + "-" +
                              std::to_string(f.max));
  }
  return v;
}

// One comma-separated part: *, a, a-b, with optional /step. Sets bits in `out`.
core::Status parse_part(const FieldDef& f, std::string_view part, std::vector<bool>& out) {
  int step = 1;
  if (auto slash = part.find('/'); slash != std::string_view::npos) {
    const auto s = part.substr(slash + 1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), step);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || step < 1) {
      return field_error(f, "step '" + std::string(s) + "' must be a positive number");
    }
    part = part.substr(0, slash);
  }
  int lo = f.min, hi = f.max;
  if (part != "*") {
    const auto dash = part.find('-');
    auto a = value(f, part.substr(0, dash));
    if (!a) return a.status();
    lo = hi = *a;
    if (dash != std::string_view::npos) {
      auto b = value(f, part.substr(dash + 1));
      if (!b) return b.status();
      hi = *b;
      if (hi < lo) return field_error(f, "range " + std::string(part) + " runs backwards");
    } else if (step > 1) {
      hi = f.max;  // "a/n" means a, a+n, ... up to the maximum, as in Vixie cron
    }
  }
  for (int v = lo; v <= hi; v += step) out[static_cast<std::size_t>(v)] = true;
  return core::Status::ok();
}

core::Result<std::vector<bool>> parse_field(const FieldDef& f, std::string_view text) {
  std::vector<bool> out(static_cast<std::size_t>(f.max + 1), false);
  if (text.empty()) return field_error(f, "is empty");
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto comma = text.find(',', pos);
    const auto part =
        text.substr(pos, comma == std::string_view::npos ? text.size() - pos : comma - pos);
    if (part.empty()) return field_error(f, "has an empty list item");
    if (auto s = parse_part(f, part, out); !s) return s;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::string_view expand_alias(std::string_view text) {
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return {};
}

std::vector<std::string_view> split_blanks(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

constexpr std::array<int, 13> kMaxDays = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

}  // namespace

core::Result<CronExpr> CronExpr::parse(std::string_view text) {
  std::string_view body = text;
  if (!text.empty() && text.front() == '@') {
    body = expand_alias(text);
    if (body.empty()) {
      return core::invalid_argument(
          "cron: unknown alias '" + std::string(text) +
              "'; use @yearly, "
              "@annually, @monthly, @weekly, @daily, @midnight or @hourly",
          "schedule");
    }
  }
  const auto fields = split_blanks(body);
  if (fields.size() != 5) {
    return core::invalid_argument(
        "cron: expected 5 fields (minute hour day-of-month month "
        "day-of-week), got " +
            std::to_string(fields.size()),
        "schedule");
  }
  const std::array<FieldDef, 5> defs = {{{"minute", 0, 59, nullptr, 0},
                                         {"hour", 0, 23, nullptr, 0},
                                         {"day-of-month", 1, 31, nullptr, 0},
                                         {"month", 1, 12, kMonths.data(), 12},
                                         {"day-of-week", 0, 7, kDays.data(), 7}}};
  std::array<std::vector<bool>, 5> bits;
  for (std::size_t i = 0; i < 5; ++i) {
    auto b = parse_field(defs[i], fields[i]);
    if (!b) return b.status();
    bits[i] = std::move(*b);
  }
  CronExpr e;
  e.text_ = std::string(text);
  for (int m = 0; m < 60; ++m) e.minutes_[m] = bits[0][m];
  for (int h = 0; h < 24; ++h) e.hours_[h] = bits[1][h];
  for (int d = 1; d <= 31; ++d) e.days_[d] = bits[2][d];
  for (int m = 1; m <= 12; ++m) e.months_[m] = bits[3][m];
  for (int w = 0; w <= 7; ++w)
    if (bits[4][w]) e.weekdays_[w % 7] = true;
  e.dom_star_ = fields[2].front() == '*';
  e.dow_star_ = fields[4].front() == '*';
  if (!e.dom_star_ && e.dow_star_) {
    bool possible = false;
    for (int m = 1; m <= 12 && !possible; ++m) {
      for (int d = 1; d <= kMaxDays[m] && e.months_[m]; ++d) possible = possible || e.days_[d];
    }
    if (!possible) {
      return core::invalid_argument("cron: '" + std::string(text) +
                                        "' names a day that never "
                                        "occurs in the months it allows",
                                    "schedule");
    }
  }
  return e;
}

bool CronExpr::matches_day(int day_of_month, int weekday) const {
  const bool dom = days_[day_of_month];
  const bool dow = weekdays_[weekday];
  if (dom_star_ || dow_star_) return dom && dow;
  return dom || dow;
}

}  // namespace autoglm::workflow
