// The `upstream` section's timeouts and retry settings in the limits library's terms, so
// the gateway resolves per-route and per-request timeouts and paces retries with the
// same tested code as everything else.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "limits/backoff.hpp"
#include "limits/retry_budget.hpp"
#include "limits/timeouts.hpp"

namespace autoglm::api {

// Defaults from upstream.{connect,first-byte,response,idle}-timeout; each
// upstream.routes entry overrides what it names; header overrides are clamped into
// [100 ms, upstream.max-timeout-override].
limits::TimeoutConfig timeout_config(const config::UpstreamConfig& upstream);

limits::RetryBudgetOptions retry_budget_options(const config::UpstreamConfig& upstream);

// Full jitter between retries; a cap below the base acts as the base.
limits::BackoffOptions retry_backoff_options(const config::UpstreamConfig& upstream);

// What one request reads of the upstream settings; swapped whole on SIGHUP.
struct UpstreamPolicy {
  int max_retries = 0;
  limits::BackoffOptions retry_backoff;
  limits::TimeoutConfig timeouts;
  // Continuations allowed per stream, by route (routes with resume-on-failure only).
  std::map<std::string, int, std::less<>> max_resumes;

  int resumes_for(std::string_view route) const {
    const auto it = max_resumes.find(route);
    return it == max_resumes.end() ? 0 : it->second;
  }
};
UpstreamPolicy upstream_policy(const config::UpstreamConfig& upstream);

}  // namespace autoglm::api
