#include "parse/request_fields.hpp"

#include <chrono>

namespace autoglm::parse {
namespace {

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

// A whole number written with ASCII digits only, no sign; nullopt if not one or if it
// exceeds `max`.
std::optional<std::int64_t> whole_number(std::string_view s, std::int64_t max) {
  if (s.empty()) return std::nullopt;
  std::int64_t n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > max) return std::nullopt;
  }
  return n;
}

}  // namespace

std::optional<Priority> priority_from_level(std::int64_t level) {
  if (level < 0 || level > 9) return std::nullopt;
  const int l = static_cast<int>(level);
  return Priority{core::priority_class_for_level(l), l};
}

std::optional<Priority> priority_from_text(std::string_view text) {
  text = trim(text);
  for (int i = 0; i < core::kPriorityClassCount; ++i) {
    const auto c = static_cast<core::PriorityClass>(i);
    if (equals_ignoring_case(text, core::priority_class_name(c))) {
      return Priority{c, core::default_level(c)};
    }
  }
  if (const auto level = whole_number(text, 9)) return priority_from_level(*level);
  return std::nullopt;
}

core::Result<std::optional<Priority>> priority_from_header(std::string_view value) {
  if (trim(value).empty()) return std::optional<Priority>{};
  if (auto priority = priority_from_text(value)) return std::optional<Priority>{*priority};
  return core::invalid_argument(std::string(kPriorityHeader) +
                                    ": expected critical, standard, batch, sheddable or 0-9, "
                                    "got '" +
                                    quote_for_error(value) + "'",
                                std::string(kPriorityHeader));
}

core::Result<std::optional<core::Duration>> deadline_from_header(std::string_view value) {
  const std::string_view text = trim(value);
  if (text.empty()) return std::optional<core::Duration>{};
  const auto ms = whole_number(text, kMaxDeadlineMs);
  if (!ms || *ms == 0) {
    return core::invalid_argument(
        std::string(kDeadlineHeader) + ": expected a whole number of milliseconds from 1 to " +
            std::to_string(kMaxDeadlineMs) + ", got '" + quote_for_error(value) + "'",
        std::string(kDeadlineHeader));
  }
  return std::optional<core::Duration>{std::chrono::milliseconds(*ms)};
}

std::string quote_for_error(std::string_view value) {
  constexpr std::size_t kMaxShown = 40;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::size_t shown = value.size() < kMaxShown ? value.size() : kMaxShown;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  if (value.size() > kMaxShown) out += "...";
  return out;
}

}  // namespace autoglm::parse
