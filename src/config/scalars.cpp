#include "config/scalars.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace autoglm::config {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

core::Status expected(std::string_view what, std::string_view text) {
  return core::invalid_argument("expected " + std::string(what) + ", got '" + std::string(text) +
                                "'");
}

// Reads leading decimal digits into `value`; advances `text`. Nothing read or overflow:
// nullopt.
std::optional<std::uint64_t> take_digits(std::string_view& text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

// Multiplies without overflow; nullopt when the product does not fit.
std::optional<std::uint64_t> times(std::uint64_t a, std::uint64_t b) {
  if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b) return std::nullopt;
  return a * b;
}

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

constexpr std::array<Unit, 4> kDurationUnits{
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}}};
constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr std::array<Unit, 7> kSizeUnits{{{"b", 1},
                                          {"kb", 1000},
                                          {"mb", 1'000'000},
                                          {"gb", 1'000'000'000},
                                          {"kib", kKiB},
                                          {"mib", kMiB},
                                          {"gib", kGiB}}};

}  // namespace

core::Result<std::int64_t> parse_integer(std::string_view text) {
  const std::string_view body = trim(text);
  std::string_view digits = body;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    if (ec == std::errc::result_out_of_range)
      return expected("an integer that fits in 64 bits", text);
    return expected("an integer", text);
  }
  return value;
}

core::Result<std::uint64_t> parse_unsigned(std::string_view text) {
  std::string_view rest = trim(text);
  std::optional<std::uint64_t> value = take_digits(rest);
  if (!value || !rest.empty()) return expected("a non-negative integer", text);
  return *value;
}

core::Result<bool> parse_bool(std::string_view text) {
  const std::string word = lower(trim(text));
  if (word == "true" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "no" || word == "off") return false;
  return expected("true or false", text);
}

core::Result<double> parse_number(std::string_view text) {
  const std::string_view body = trim(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (body.empty() || ec != std::errc() || end != body.data() + body.size() ||
      !std::isfinite(value)) {
    return expected("a number", text);
  }
  return value;
}

core::Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  static constexpr std::string_view kWhat = "a duration such as 10s, 500ms, 2m or 1m30s";
  std::string_view rest = trim(text);
  if (rest.empty()) return expected(kWhat, text);
  std::uint64_t total = 0;
  bool first = true;
  while (!rest.empty()) {
    std::optional<std::uint64_t> amount = take_digits(rest);
    if (!amount) return expected(kWhat, text);
    std::size_t unit_length = 0;
    while (unit_length < rest.size() &&
           std::isalpha(static_cast<unsigned char>(rest[unit_length]))) {
      ++unit_length;
    }
    const std::string unit = lower(rest.substr(0, unit_length));
    rest.remove_prefix(unit_length);
    if (unit.empty() && first && rest.empty()) {
      total = *amount;  // a plain integer: milliseconds
      break;
    }
    std::optional<std::uint64_t> part;
    for (const Unit& u : kDurationUnits) {
      if (u.name == unit) part = times(*amount, u.factor);
    }
    if (!part || total + *part < total) return expected(kWhat, text);
    total += *part;
    first = false;
  }
  if (total > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return expected(kWhat, text);
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(total));
}

core::Result<std::uint64_t> parse_size(std::string_view text) {
  static constexpr std::string_view kWhat = "a size such as 8MiB, 16KiB or 1048576";
  std::string_view rest = trim(text);
  std::optional<std::uint64_t> amount = take_digits(rest);
  if (!amount) return expected(kWhat, text);
  const std::string unit = lower(trim(rest));
  if (unit.empty()) return *amount;
  for (const Unit& u : kSizeUnits) {
    if (u.name != unit) continue;
    if (std::optional<std::uint64_t> bytes = times(*amount, u.factor)) return *bytes;
  }
  return expected(kWhat, text);
}

std::string format_duration(std::chrono::milliseconds duration) {
  const std::int64_t ms = duration.count();
  if (ms == 0) return "0ms";
  for (auto it = kDurationUnits.rbegin(); it != kDurationUnits.rend(); ++it) {
    const auto factor = static_cast<std::int64_t>(it->factor);
    if (ms % factor == 0) return std::to_string(ms / factor) + std::string(it->name);
  }
  return std::to_string(ms) + "ms";
}

std::string format_size(std::uint64_t bytes) {
  if (bytes == 0) return "0";
  constexpr std::array<Unit, 3> kBinary{{{"GiB", kGiB}, {"MiB", kMiB}, {"KiB", kKiB}}};
  for (const Unit& u : kBinary) {
    if (bytes % u.factor == 0) return std::to_string(bytes / u.factor) + std::string(u.name);
  }
  return std::to_string(bytes);
}

}  // namespace autoglm::config
