#include "limits/timeouts.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace autoglm::limits {

namespace {

constexpr std::int64_t kMaxHeaderMs = 2147483647;

core::Status check_one(const Timeouts& t, const std::string& where) {
  const std::pair<const char*, core::Duration> fields[] = {{"connect_ms", t.connect},
                                                           {"first_byte_ms", t.first_byte},
                                                           {"total_ms", t.total},
                                                           {"idle_stream_ms", t.idle_stream}};
  for (const auto& [name, value] : fields) {
    if (value <= core::Duration::zero()) {
      return core::invalid_argument("must be a positive number of milliseconds", where + name);
    }
  }
  if (t.first_byte > t.total) {
    return core::invalid_argument("first_byte_ms may not exceed total_ms", where + "first_byte_ms");
  }
  if (t.idle_stream > t.total) {
    return core::invalid_argument("idle_stream_ms may not exceed total_ms",
                                  where + "idle_stream_ms");
  }
  return core::Status::ok();
}

// A present header's value in milliseconds; nullopt when absent; an error when malformed.
core::Result<std::optional<std::int64_t>> parse_ms(std::string_view value, const char* header) {
  if (value.empty()) return std::optional<std::int64_t>{};
  std::int64_t ms = 0;
  bool ok = value.size() <= 10;
  for (char c : value) {
    if (c < '0' || c > '9') ok = false;
    if (ok) ms = ms * 10 + (c - '0');
  }
  if (!ok || ms < 1 || ms > kMaxHeaderMs) {
    std::string shown(value.substr(0, 32));
    for (char& c : shown) {
      if (c < 0x20 || c == 0x7f) c = '?';  // keep control bytes out of error bodies and logs
    }
    return core::invalid_argument(std::string(header) +
                                      " must be a whole number of milliseconds from 1 to "
                                      "2147483647; got '" + shown + "'",
                                  header);
  }
  return std::optional<std::int64_t>{ms};
}

}  // namespace

core::Status validate(const TimeoutConfig& config) {
  if (auto s = check_one(config.defaults, "timeouts."); !s) return s;
  for (const auto& [route, t] : config.routes) {
    if (auto s = check_one(t, "timeouts.routes." + route + "."); !s) return s;
  }
  if (config.min_override <= core::Duration::zero()) {
    return core::invalid_argument("must be positive", "timeouts.min_override_ms");
  }
  return check_one(config.max_override, "timeouts.max_override.");
}

const Timeouts& route_timeouts(const TimeoutConfig& config, std::string_view route) {
  auto it = config.routes.find(route);
  return it == config.routes.end() ? config.defaults : it->second;
}

core::Result<AppliedTimeouts> apply_overrides(const TimeoutConfig& config, std::string_view route,
                                              const TimeoutOverrides& headers) {
  AppliedTimeouts out{route_timeouts(config, route), {}};
  struct Field {
    std::string_view value;
    const char* header;
    core::Duration* target;
    core::Duration max;
  };
  const Field fields[] = {
      {headers.total, "x-autoglm-timeout-ms", &out.timeouts.total, config.max_override.total},
      {headers.first_byte, "x-autoglm-first-byte-timeout-ms", &out.timeouts.first_byte,
       config.max_override.first_byte},
      {headers.idle_stream, "x-autoglm-idle-timeout-ms", &out.timeouts.idle_stream,
       config.max_override.idle_stream},
  };
  for (const Field& f : fields) {
    auto ms = parse_ms(f.value, f.header);
    if (!ms) return ms.status();
    if (!*ms) continue;
    const core::Duration asked = std::chrono::milliseconds(**ms);
    const core::Duration lo = std::min(config.min_override, f.max);
    const core::Duration applied = std::clamp(asked, lo, f.max);
    if (applied != asked) out.clamped.emplace_back(f.header);
    *f.target = applied;
  }
  out.timeouts.first_byte = std::min(out.timeouts.first_byte, out.timeouts.total);
  out.timeouts.idle_stream = std::min(out.timeouts.idle_stream, out.timeouts.total);
  return out;
}

}  // namespace autoglm::limits
