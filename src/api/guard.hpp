// The gateway's front door: who is asking (API key -> tenant), whether they may use the
// route (admin keys for /admin), and whether they may ask now (per-tenant and global rate
// limits, per-tenant requests in flight). No I/O: Gateway::handle calls check() with the
// request's Authorization header and path, and turns a denial into an error answer.
// Threading: every member is thread-safe. Settings live in immutable snapshots swapped
// atomically by reload(); keys created at run time live in their own ring and survive
// reloads (not restarts).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/request_context.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "limits/concurrency_limiter.hpp"
#include "limits/rate_limiter.hpp"
#include "tenancy/key_ring.hpp"
#include "tenancy/tenant.hpp"

namespace autoglm::api {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The tenant every request acts for when authentication is off.
inline constexpr std::string_view kDefaultTenant = "default";
// With the gateway's own loopback credential (Guard::loopback_headers), the tenant a
// loopback call (an async task run by the workflow engine) acts for.
inline constexpr std::string_view kOnBehalfOfHeader = "x-autoglm-on-behalf-of";

// Everything the guard reads from configuration, built and validated as one value so a
// bad reload changes nothing. Keys in clear are hashed here and not kept.
struct GuardSettings {
  bool auth_enabled = false;
  tenancy::TenantDirectory tenants;  // configured tenants plus those only keys name
  std::shared_ptr<tenancy::KeyRing> config_keys;
  limits::RequestRate global;
  tenancy::TenantLimits tenant_default;
};

// Checks what config::load cannot: tenant ids and limits, each key's tenant (a key may
// name a tenant not listed in `tenants`; it then gets limits.tenant-default), and that
// authentication has at least one key. Messages name the config key.
core::Result<GuardSettings> build_guard_settings(const config::Config& config);

// What check() decided. On success `permit` holds the tenant's in-flight slot for as long
// as the request runs; `headers` (x-ratelimit-*) go on the answer either way.
struct GuardVerdict {
  core::Status status;  // kUnauthenticated (401), kPermissionDenied (403), 429, or ok
  HeaderList headers;
  limits::ConcurrencyLimiter::Permit permit;
};

class Guard {
 public:
  Guard(GuardSettings settings, const core::Clock& clock);

  // Authenticates `authorization` (the header, "" when absent) for `path` (below the
  // context path) and, when it may pass, fills context.tenant, .admin and
  // .default_priority. Paths in public_path() pass without a key and without limits.
  // `on_behalf_of` (kOnBehalfOfHeader) counts only with the loopback credential.
  GuardVerdict check(std::string_view authorization, std::string_view path, RequestContext& context,
                     std::string_view on_behalf_of = {});
  // /healthz, /readyz, /livez and /metrics: for probes and scrapers, never limited; and
  // the dashboard's files under /ui/.
  static bool public_path(std::string_view path);

  // Headers that let the gateway call itself for `tenant` (the workflow engine's loopback
  // executor): a random credential drawn at start-up, never logged or shown, and the
  // tenant. Without auth they are harmless.
  HeaderList loopback_headers(std::string_view tenant) const;

  // Whether the tenant may use `model` (its allow-list; unknown tenants may use all).
  bool allows_model(std::string_view tenant, std::string_view model) const;
  // Charges a request's estimated tokens (input + max output) to the tenant's
  // tokens-per-minute bucket. The bucket may go into debt; while it is, check() answers 429.
  void charge_tokens(std::string_view tenant, std::int64_t tokens);
  // When the request ended: replaces the charged estimate by the tokens it really used
  // (input + output generated), giving back the difference or charging the excess.
  void settle_tokens(std::string_view tenant, std::int64_t estimated, std::int64_t actual);

  // Swaps in new settings (SIGHUP). Limits change in place; requests in flight keep their
  // slots; keys created at run time stay.
  void reload(GuardSettings settings);
  bool auth_enabled() const { return auth_enabled_.load(); }

  // Run-time keys (POST /admin/v1/keys). The tenant id must be valid; an unknown tenant
  // gets limits.tenant-default.
  core::Result<tenancy::CreatedKey> create_key(const tenancy::KeySpec& spec);
  // Both rings, sorted by id; `from_config` marks keys only the file can remove.
  struct ListedKey {
    tenancy::KeyInfo info;
    bool from_config = false;
  };
  std::vector<ListedKey> list_keys() const;
  std::optional<ListedKey> find_key(std::string_view id) const;
  // kNotFound for an unknown id; kFailedPrecondition for a key defined in the file.
  core::Status revoke_key(std::string_view id);

 private:
  std::optional<tenancy::Principal> authenticate(std::string_view authorization) const;
  // Sets rate and concurrency limits for one tenant from the current settings.
  void apply_limits(const GuardSettings& settings, const std::string& tenant);
  std::shared_ptr<const GuardSettings> settings() const { return settings_.load(); }

  std::atomic<std::shared_ptr<const GuardSettings>> settings_;
  std::atomic<bool> auth_enabled_{false};
  tenancy::KeyRing runtime_keys_;
  tenancy::KeyRing loopback_key_;  // one key; its calls name their tenant per request
  std::string loopback_secret_;
  limits::RateLimiter rate_;
  limits::ConcurrencyLimiter concurrency_{"tenant"};
};

}  // namespace autoglm::api
