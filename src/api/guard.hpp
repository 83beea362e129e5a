// The gateway's front door: who is asking (API key -> tenant), whether they may use the
// route (admin keys for /admin), and whether they may ask now (per-tenant and global rate
// limits, per-tenant requests in flight). No I/O: Gateway::handle calls check() with the
// request's Authorization header and path, and turns a denial into an error answer.
// Threading: every member is thread-safe. Settings live in immutable snapshots swapped
// atomically by reload(); keys created at run time live in their own ring and survive
// reloads. Restarts and other replicas are KeyService's part (key_service.hpp): it keeps
// that ring in step with the store.
// Merge rule: a configuration key wins over a run-time key with the same id or secret; the
// run-time one is then neither listed nor accepted.
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
  limits::ConcurrencyLimiter::Permit key_permit;  // held when the key bounds its own requests
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

  // Whether the request's tenant and key may use `model` (both allow-lists; an unknown
  // tenant and a key without a list allow all).
  bool allows_model(const RequestContext& context, std::string_view model) const;
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

  // Run-time keys (POST /admin/v1/keys). The tenant id and the scope must be valid; an
  // unknown tenant gets limits.tenant-default. create_key = mint_key + add_minted_key; a
  // durable caller records the minted key in the store between the two.
  core::Result<tenancy::CreatedKey> create_key(const tenancy::KeySpec& spec);
  core::Result<tenancy::CreatedKey> mint_key(const tenancy::KeySpec& spec) const;
  core::Status add_minted_key(const tenancy::CreatedKey& key);
  // Brings the run-time ring up to the store's list (KeyRing::sync) and sets the limits of
  // the keys and tenants it adds.
  tenancy::SyncReport sync_keys(const std::vector<tenancy::StoredKey>& keys);
  // Both rings, sorted by id; `from_config` marks keys only the file can remove.
  struct ListedKey {
    tenancy::KeyInfo info;
    bool from_config = false;
  };
  std::vector<ListedKey> list_keys() const;
  std::optional<ListedKey> find_key(std::string_view id) const;
  // kNotFound for an unknown id; kConflict for a key defined in the file.
  core::Status revoke_key(std::string_view id);

 private:
  std::optional<tenancy::Principal> authenticate(std::string_view authorization) const;
  // Sets rate and concurrency limits for one tenant from the current settings.
  void apply_limits(const GuardSettings& settings, const std::string& tenant);
  // Sets a run-time key's own limits (its scope's) and its tenant's.
  void apply_key_limits(const GuardSettings& settings, const tenancy::KeyInfo& key);
  // Takes a request token from `holder`'s bucket in `rate` and an in-flight slot into
  // `permit`; fills `verdict` (headers, and why on a denial) and returns false on a denial.
  static bool admit(limits::RateLimiter& rate, limits::ConcurrencyLimiter& concurrency,
                    const std::string& holder, std::string_view what, GuardVerdict& verdict,
                    limits::ConcurrencyLimiter::Permit& permit);
  std::shared_ptr<const GuardSettings> settings() const { return settings_.load(); }

  std::atomic<std::shared_ptr<const GuardSettings>> settings_;
  std::atomic<bool> auth_enabled_{false};
  tenancy::KeyRing runtime_keys_;
  tenancy::KeyRing loopback_key_;  // one key; its calls name their tenant per request
  std::string loopback_secret_;
  limits::RateLimiter rate_;
  limits::ConcurrencyLimiter concurrency_{"tenant"};
  // Per-key limits (KeyScope::limits), by key id; never the global bucket.
  limits::RateLimiter key_rate_;
  limits::ConcurrencyLimiter key_concurrency_{"API key"};
};

}  // namespace autoglm::api
