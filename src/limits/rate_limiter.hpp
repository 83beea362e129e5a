// Request and token rate limits: one global request bucket and, per tenant, a request
// bucket plus an optional tokens-per-minute bucket. A decision carries what the 429 and
// the x-ratelimit-* headers need (see rate_limit_headers.hpp). Time is injected.
// Threading: thread-safe. Each bucket has its own mutex; the tenant table takes a shared
// lock on lookup and an exclusive one only to add a tenant seen for the first time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "limits/token_bucket.hpp"

namespace autoglm::limits {

// requests_per_second == 0: no limit. burst == 0: max(1, requests_per_second).
struct RequestRate {
  double requests_per_second = 0;
  double burst = 0;
  bool operator==(const RequestRate&) const = default;
};

struct TenantRateLimits {
  RequestRate requests;
  std::optional<std::int64_t> tokens_per_minute;  // bucket of size tpm, refilled tpm/60 per s
  bool operator==(const TenantRateLimits&) const = default;
};

struct RateLimiterOptions {
  RequestRate global;               // every request of every tenant
  TenantRateLimits tenant_default;  // tenants without their own entry
};

// The state of one limit for the x-ratelimit-<limit|remaining|reset>-<kind> headers.
struct LimitState {
  std::int64_t limit = 0;      // bucket size: how many may pass at once from full
  std::int64_t remaining = 0;  // whole tokens left (never negative)
  core::Duration reset{0};     // until the bucket is full again
};

enum class LimitScope { kNone, kGlobal, kTenantRequests, kTenantTokens };

struct RateDecision {
  bool allowed = true;
  LimitScope denied_by = LimitScope::kNone;
  core::Duration retry_after{0};       // zero when allowed
  std::optional<LimitState> requests;  // the tenant's request limit (else the global one)
  std::optional<LimitState> tokens;    // the tenant's token limit, when it has one

  // kResourceExhausted naming the limit and the wait; ok when allowed. `what` names the
  // kind of bucket holder in the message: a tenant, or an API key with its own limits.
  core::Status status(std::string_view tenant, std::string_view what = "tenant") const;
};

class RateLimiter {
 public:
  RateLimiter(RateLimiterOptions options, const core::Clock& clock);

  // Sets (or, on reload, changes) a tenant's limits. A changed limit keeps the bucket's
  // level, capped at the new burst; an unchanged one keeps everything.
  void set_tenant(const std::string& tenant, const TenantRateLimits& limits);
  void set_global(const RequestRate& rate);

  // Admits one request estimated at `estimated_tokens` (input + max output): takes one
  // request token from the tenant and the global bucket and the estimate from the tenant's
  // token bucket, or nothing at all when any of them says no.
  RateDecision admit(std::string_view tenant, std::int64_t estimated_tokens);
  // After the request: charges actual - estimated (refunds when negative).
  void settle_tokens(std::string_view tenant, std::int64_t estimated, std::int64_t actual);

 private:
  struct GuardedBucket {
    std::mutex mu;
    std::optional<TokenBucket> bucket;  // nullopt: unlimited
  };
  struct TenantState {
    TenantRateLimits limits;
    GuardedBucket requests;
    GuardedBucket tokens;
  };

  std::shared_ptr<TenantState> tenant_state(std::string_view tenant);
  static void configure(GuardedBucket& g, double rate, double burst, core::Time now);
  static void configure_tenant(TenantState& s, const TenantRateLimits& limits, core::Time now);

  const core::Clock& clock_;
  TenantRateLimits tenant_default_;  // guarded by tenants_mu_
  GuardedBucket global_;
  std::shared_mutex tenants_mu_;
  // Grows by one entry per tenant ever seen; tenants come from the key ring, so it is bounded.
  std::map<std::string, std::shared_ptr<TenantState>, std::less<>> tenants_;
};

}  // namespace autoglm::limits
