#include "limits/rate_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace autoglm::limits {

namespace {

double burst_of(const RequestRate& r) {
  return r.burst > 0 ? r.burst : std::max(1.0, r.requests_per_second);
}

LimitState state_of(TokenBucket& b, core::Time now) {
  const double level = b.level(now);
  return LimitState{static_cast<std::int64_t>(std::llround(b.burst())),
                    static_cast<std::int64_t>(std::max(0.0, std::floor(level))),
                    b.time_to_full(now)};
}

std::string wait_text(core::Duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count() + 1;
  return ms >= 1000 ? std::to_string((ms + 999) / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

core::Status RateDecision::status(std::string_view tenant, std::string_view what) const {
  if (allowed) return core::Status::ok();
  std::string over;
  switch (denied_by) {
    case LimitScope::kGlobal:
      over = "the gateway's global request rate limit is reached";
      break;
    case LimitScope::kTenantTokens:
      over =
          std::string(what) + " '" + std::string(tenant) + "' is over its tokens-per-minute limit";
      break;
    default:
      over = std::string(what) + " '" + std::string(tenant) +
             "' is over its requests-per-second limit";
      break;
  }
  return {core::ErrorCode::kResourceExhausted,
          over + "; retry after " + wait_text(retry_after) + " (see the Retry-After header)"};
}

RateLimiter::RateLimiter(RateLimiterOptions options, const core::Clock& clock)
    : clock_(clock), tenant_default_(options.tenant_default) {
  configure(global_, options.global.requests_per_second, burst_of(options.global), clock_.now());
}

void RateLimiter::configure(GuardedBucket& g, double rate, double burst, core::Time now) {
  std::lock_guard lock(g.mu);
  if (rate <= 0) {
    g.bucket.reset();
  } else if (g.bucket) {
    g.bucket->reconfigure(rate, burst, now);
  } else {
    g.bucket.emplace(rate, burst, now);
  }
}

void RateLimiter::configure_tenant(TenantState& s, const TenantRateLimits& limits, core::Time now) {
  s.limits = limits;
  configure(s.requests, limits.requests.requests_per_second, burst_of(limits.requests), now);
  const double tpm = limits.tokens_per_minute ? static_cast<double>(*limits.tokens_per_minute) : 0;
  configure(s.tokens, tpm / 60.0, tpm, now);
}

void RateLimiter::set_global(const RequestRate& rate) {
  configure(global_, rate.requests_per_second, burst_of(rate), clock_.now());
}

void RateLimiter::set_tenant(const std::string& tenant, const TenantRateLimits& limits) {
  std::unique_lock lock(tenants_mu_);
  auto& slot = tenants_[tenant];
  if (!slot)
    slot = std::make_shared<TenantState>();
  else if (slot->limits == limits)
    return;
  configure_tenant(*slot, limits, clock_.now());
}

std::shared_ptr<RateLimiter::TenantState> RateLimiter::tenant_state(std::string_view tenant) {
  {
    std::shared_lock lock(tenants_mu_);
    auto it = tenants_.find(tenant);
    if (it != tenants_.end()) return it->second;
  }
  std::unique_lock lock(tenants_mu_);
  auto [it, inserted] = tenants_.try_emplace(std::string(tenant));
  if (inserted) {
    it->second = std::make_shared<TenantState>();
    configure_tenant(*it->second, tenant_default_, clock_.now());
  }
  return it->second;
}

RateDecision RateLimiter::admit(std::string_view tenant, std::int64_t estimated_tokens) {
  const core::Time now = clock_.now();
  std::shared_ptr<TenantState> s = tenant_state(tenant);
  RateDecision d;
  const double tokens = static_cast<double>(std::max<std::int64_t>(0, estimated_tokens));

  // Tenant requests, then tenant tokens, then global; a later "no" refunds the earlier takes.
  std::unique_lock req_lock(s->requests.mu);
  std::unique_lock tok_lock(s->tokens.mu);
  TokenBucket* req = s->requests.bucket ? &*s->requests.bucket : nullptr;
  TokenBucket* tok = s->tokens.bucket ? &*s->tokens.bucket : nullptr;
  auto deny = [&](LimitScope scope, core::Duration wait) {
    d.allowed = false;
    d.denied_by = scope;
    d.retry_after = wait;
  };
  bool took_req = false;
  bool took_tok = false;
  if (req) {
    const TakeResult r = req->try_take(1, now);
    if (!r.allowed) deny(LimitScope::kTenantRequests, r.retry_after);
    took_req = r.allowed;
  }
  if (d.allowed && tok) {
    const TakeResult r = tok->try_take(tokens, now);
    if (!r.allowed) deny(LimitScope::kTenantTokens, r.retry_after);
    took_tok = r.allowed;
  }
  {
    std::lock_guard global_lock(global_.mu);
    TokenBucket* global = global_.bucket ? &*global_.bucket : nullptr;
    if (d.allowed && global) {
      const TakeResult r = global->try_take(1, now);
      if (!r.allowed) deny(LimitScope::kGlobal, r.retry_after);
    }
    if (!req && global) d.requests = state_of(*global, now);
  }
  if (!d.allowed) {
    if (took_req) req->give_back(1, now);
    if (took_tok) tok->give_back(tokens, now);
  }
  if (req) d.requests = state_of(*req, now);
  if (tok) d.tokens = state_of(*tok, now);
  return d;
}

void RateLimiter::settle_tokens(std::string_view tenant, std::int64_t estimated,
                                std::int64_t actual) {
  if (actual == estimated) return;
  std::shared_ptr<TenantState> s = tenant_state(tenant);
  std::lock_guard lock(s->tokens.mu);
  if (!s->tokens.bucket) return;
  const core::Time now = clock_.now();
  const double delta = static_cast<double>(actual - estimated);
  if (delta > 0) {
    s->tokens.bucket->charge(delta, now);
  } else {
    s->tokens.bucket->give_back(-delta, now);
  }
}

}  // namespace autoglm::limits
