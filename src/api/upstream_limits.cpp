#include "api/upstream_limits.hpp"

#include <algorithm>

namespace autoglm::api {

limits::TimeoutConfig timeout_config(const config::UpstreamConfig& upstream) {
  limits::TimeoutConfig out;
  out.defaults = limits::Timeouts{upstream.connect_timeout, upstream.first_byte_timeout,
                                  upstream.response_timeout, upstream.idle_timeout};
  for (const auto& [route, t] : upstream.routes) {
    limits::Timeouts r = out.defaults;
    if (t.connect_timeout) r.connect = *t.connect_timeout;
    if (t.first_byte_timeout) r.first_byte = *t.first_byte_timeout;
    if (t.response_timeout) r.total = *t.response_timeout;
    if (t.idle_timeout) r.idle_stream = *t.idle_timeout;
    out.routes.emplace(route, r);
  }
  out.min_override = std::chrono::milliseconds(100);
  const core::Duration max = upstream.max_timeout_override;
  out.max_override = limits::Timeouts{max, max, max, max};
  return out;
}

limits::RetryBudgetOptions retry_budget_options(const config::UpstreamConfig& upstream) {
  return limits::RetryBudgetOptions{upstream.retry_budget,
                                    static_cast<std::size_t>(upstream.retry_budget_min)};
}

limits::BackoffOptions retry_backoff_options(const config::UpstreamConfig& upstream) {
  return limits::BackoffOptions{upstream.retry_backoff,
                                std::max(upstream.retry_backoff, upstream.retry_backoff_max)};
}

UpstreamPolicy upstream_policy(const config::UpstreamConfig& upstream) {
  UpstreamPolicy policy;
  policy.max_retries = upstream.retries;
  policy.retry_backoff = retry_backoff_options(upstream);
  policy.timeouts = timeout_config(upstream);
  for (const auto& [route, r] : upstream.routes) {
    if (r.resume_on_failure) policy.max_resumes.emplace(route, r.max_resumes);
  }
  return policy;
}

}  // namespace autoglm::api
