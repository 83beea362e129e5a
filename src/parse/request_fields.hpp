// Parsing of the scheduling fields a request may carry in headers or in its body (priority,
// latency class, deadline), and the quoting of bad values in error messages. Internal to
// parse/; task_parser.hpp is the public surface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "core/task.hpp"

namespace autoglm::parse {

// A priority as a class and a level 0-9 (9 most important).
struct Priority {
  core::PriorityClass cls = core::PriorityClass::kStandard;
  int level = 5;
};

// "critical", "standard", "batch", "sheddable" (any case), or a whole number 0-9; spaces
// around it are ignored. nullopt for anything else.
std::optional<Priority> priority_from_text(std::string_view text);
std::optional<Priority> priority_from_level(std::int64_t level);

inline constexpr std::string_view kPriorityHeader = "x-autoglm-priority";
inline constexpr std::string_view kDeadlineHeader = "x-autoglm-deadline-ms";
// Longest deadline accepted: 30 days, so that every deadline fits a Duration.
inline constexpr std::int64_t kMaxDeadlineMs = 30LL * 24 * 3600 * 1000;

// The x-autoglm-priority header; nullopt when absent (empty).
core::Result<std::optional<Priority>> priority_from_header(std::string_view value);
// The x-autoglm-deadline-ms header: a positive whole number of milliseconds, at most
// kMaxDeadlineMs; nullopt when absent (empty).
core::Result<std::optional<core::Duration>> deadline_from_header(std::string_view value);

// `value` made safe and short for an error message: at most 40 characters, printable
// ASCII as is, other bytes as \xNN, "..." when cut.
std::string quote_for_error(std::string_view value);

}  // namespace autoglm::parse
