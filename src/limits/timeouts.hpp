// Upstream timeouts: connect, first byte, total and idle stream, with per-route defaults
// and per-request overrides from headers, clamped into configured bounds. Pure functions.
// Threading: plain values; TimeoutConfig is built once from config and shared read-only.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace autoglm::limits {

using namespace std::chrono_literals;

struct Timeouts {
  core::Duration connect = 5s;       // TCP (and TLS) connect to a node
  core::Duration first_byte = 120s;  // request sent -> first response byte (covers queueing
                                     // inside the engine and prefill)
  core::Duration total = 600s;       // whole exchange, streaming included
  core::Duration idle_stream = 60s;  // longest gap between two bytes of a streamed answer
  bool operator==(const Timeouts&) const = default;
};

struct TimeoutConfig {
  Timeouts defaults;
  // Route (e.g. "/v1/chat/completions") -> its timeouts, replacing the defaults.
  std::map<std::string, Timeouts, std::less<>> routes;
  // Per-request overrides are clamped into [min_override, max_override.<field>].
  core::Duration min_override = 100ms;
  Timeouts max_override{30s, 600s, 3600s, 600s};
};

// Every duration positive; first_byte and idle_stream no longer than total (defaults,
// each route and max_override). Messages name the config key.
core::Status validate(const TimeoutConfig& config);

// The timeouts of a route: its entry, else the defaults.
const Timeouts& route_timeouts(const TimeoutConfig& config, std::string_view route);

// Header values as received ("" when absent). Connect cannot be overridden per request.
struct TimeoutOverrides {
  std::string_view total;        // x-autoglm-timeout-ms
  std::string_view first_byte;   // x-autoglm-first-byte-timeout-ms
  std::string_view idle_stream;  // x-autoglm-idle-timeout-ms
};

struct AppliedTimeouts {
  Timeouts timeouts;
  std::vector<std::string> clamped;  // headers whose value was moved into the bounds
};

// Route timeouts with the request's overrides applied. A header that is present must be a
// whole number of milliseconds, 1..2^31-1 (else kInvalidArgument naming the header and
// what it got); values outside [min_override, max_override] are clamped and listed.
// first_byte and idle_stream are then capped at total.
core::Result<AppliedTimeouts> apply_overrides(const TimeoutConfig& config, std::string_view route,
                                              const TimeoutOverrides& headers);

}  // namespace autoglm::limits
