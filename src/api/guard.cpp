#include "api/guard.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "limits/rate_limit_headers.hpp"

namespace autoglm::api {

using core::ErrorCode;
using core::Status;

namespace {

tenancy::TenantLimits to_limits(const config::TenantLimitsConfig& c) {
  return tenancy::TenantLimits{c.requests_per_second, c.burst, c.tokens_per_minute,
                               c.max_concurrent};
}

limits::TenantRateLimits rate_limits_of(const tenancy::TenantLimits& l) {
  return limits::TenantRateLimits{limits::RequestRate{l.requests_per_second, l.burst},
                                  l.tokens_per_minute};
}

core::Result<tenancy::Tenant> tenant_from_config(const config::TenantConfig& c,
                                                 const tenancy::TenantLimits& fallback) {
  tenancy::Tenant tenant;
  tenant.id = c.id;
  auto cls = core::priority_class_from_name(c.default_class);
  if (!cls) {
    return core::invalid_argument("unknown priority class '" + c.default_class + "'",
                                  "tenants." + c.id + ".default-class");
  }
  tenant.default_class = *cls;
  tenant.allowed_models = c.models;
  tenant.limits = c.limits ? to_limits(*c.limits) : fallback;
  return tenant;
}

core::Result<std::shared_ptr<tenancy::KeyRing>> key_ring_from_config(
    const std::vector<config::ApiKeyConfig>& keys) {
  auto ring = std::make_shared<tenancy::KeyRing>();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const config::ApiKeyConfig& key = keys[i];
    const tenancy::KeySpec spec{key.tenant, key.admin, key.label};
    const auto hash = tenancy::hash_from_hex(key.sha256);
    core::Result<tenancy::KeyInfo> added =
        !key.secret.empty() ? ring->add_secret(spec, key.secret, key.id)
        : hash              ? ring->add_hashed(spec, *hash, key.id)
                            : core::Result<tenancy::KeyInfo>(
                     core::invalid_argument("sha256 must be 64 hex digits"));
    if (!added) {
      // The ring's messages never hold key material.
      return core::invalid_argument("auth.keys[" + std::to_string(i) +
                                    "]: " + added.status().message());
    }
  }
  return ring;
}

}  // namespace

core::Result<GuardSettings> build_guard_settings(const config::Config& config) {
  GuardSettings settings;
  settings.auth_enabled = config.auth.enabled;
  settings.global = {config.limits.global_requests_per_second, config.limits.global_burst};
  settings.tenant_default = to_limits(config.limits.tenant_default);
  if (config.auth.enabled && config.auth.keys.empty()) {
    return core::invalid_argument(
        "auth.enabled is true but auth.keys lists no key: no request could pass; add an admin "
        "key (sha256 or ${ENV}) or set auth.enabled: false",
        "auth.keys");
  }

  std::vector<tenancy::Tenant> tenants;
  std::set<std::string, std::less<>> named;
  for (const config::TenantConfig& c : config.tenants) {
    auto tenant = tenant_from_config(c, settings.tenant_default);
    if (!tenant) return tenant.status();
    named.insert(tenant->id);
    tenants.push_back(std::move(*tenant));
  }
  // Tenants only keys name (and "default", when authentication is off) get the defaults.
  std::vector<std::string> implicit{std::string(kDefaultTenant)};
  for (const auto& key : config.auth.keys) implicit.push_back(key.tenant);
  for (const std::string& id : implicit) {
    if (!named.insert(id).second) continue;
    tenancy::Tenant tenant;
    tenant.id = id;
    tenant.limits = settings.tenant_default;
    tenants.push_back(std::move(tenant));
  }
  auto directory = tenancy::TenantDirectory::build(std::move(tenants));
  if (!directory) return directory.status();
  settings.tenants = std::move(*directory);

  auto ring = key_ring_from_config(config.auth.keys);
  if (!ring) return ring.status();
  settings.config_keys = std::move(*ring);
  return settings;
}

Guard::Guard(GuardSettings settings, const core::Clock& clock)
    : rate_(limits::RateLimiterOptions{settings.global, rate_limits_of(settings.tenant_default)},
            clock),
      key_rate_(limits::RateLimiterOptions{}, clock) {
  // The ring's tenant is a placeholder: a loopback call names its tenant per request.
  auto loopback = loopback_key_.create(tenancy::KeySpec{"loopback", false, "loopback"});
  if (!loopback) {
    throw std::runtime_error("cannot create the loopback key: " + loopback.status().message());
  }
  loopback_secret_ = std::move(loopback->secret);
  reload(std::move(settings));
}

HeaderList Guard::loopback_headers(std::string_view tenant) const {
  return {{"authorization", "Bearer " + loopback_secret_},
          {std::string(kOnBehalfOfHeader), std::string(tenant)}};
}

void Guard::apply_limits(const GuardSettings& settings, const std::string& tenant) {
  const tenancy::Tenant* t = settings.tenants.find(tenant);
  const tenancy::TenantLimits& l = t ? t->limits : settings.tenant_default;
  rate_.set_tenant(tenant, rate_limits_of(l));
  concurrency_.set_limit(tenant, l.max_concurrent);
}

void Guard::reload(GuardSettings settings) {
  auto snapshot = std::make_shared<const GuardSettings>(std::move(settings));
  rate_.set_global(snapshot->global);
  for (const auto& [id, tenant] : snapshot->tenants.all()) apply_limits(*snapshot, id);
  for (const auto& key : runtime_keys_.list()) apply_key_limits(*snapshot, key);
  auth_enabled_ = snapshot->auth_enabled;
  settings_.store(std::move(snapshot));
}

bool Guard::public_path(std::string_view path) {
  // The dashboard's static files hold no data; the page asks for an admin key when the
  // /admin/v1/dashboard routes it reads answer 401.
  const bool ui = path == "/ui" || path.starts_with("/ui/");
  return ui || path == "/healthz" || path == "/readyz" || path == "/livez" || path == "/metrics";
}

void Guard::apply_key_limits(const GuardSettings& settings, const tenancy::KeyInfo& key) {
  apply_limits(settings, key.tenant);
  const tenancy::KeyLimits& l = key.scope.limits;
  key_rate_.set_tenant(key.id, {limits::RequestRate{l.requests_per_second, l.burst}, {}});
  key_concurrency_.set_limit(key.id, l.max_concurrent);
}

std::optional<tenancy::Principal> Guard::authenticate(std::string_view authorization) const {
  const auto settings = this->settings();
  if (auto principal = settings->config_keys->authenticate(authorization)) return principal;
  auto principal = runtime_keys_.authenticate(authorization);
  // A configuration key with the same id shadows the run-time one.
  if (principal && settings->config_keys->info(principal->key_id)) return std::nullopt;
  return principal;
}

bool Guard::admit(limits::RateLimiter& rate, limits::ConcurrencyLimiter& concurrency,
                  const std::string& holder, std::string_view what, GuardVerdict& verdict,
                  limits::ConcurrencyLimiter::Permit& permit) {
  const limits::RateDecision decision = rate.admit(holder, 0);
  verdict.headers = limits::rate_limit_headers(decision);
  if (!decision.allowed) {
    verdict.status = decision.status(holder, what);
    return false;
  }
  auto slot = concurrency.try_acquire(holder);
  if (!slot) {
    verdict.status = slot.status();
    verdict.headers.emplace_back("retry-after", "1");
    return false;
  }
  permit = std::move(*slot);
  return true;
}

GuardVerdict Guard::check(std::string_view authorization, std::string_view path,
                          RequestContext& context, std::string_view on_behalf_of) {
  GuardVerdict verdict;
  if (public_path(path)) return verdict;
  const auto settings = this->settings();
  // Without authentication every request acts as the default tenant, with admin rights.
  tenancy::Principal who{std::string(kDefaultTenant), "", true};
  if (settings->auth_enabled) {
    if (!tenancy::bearer_token(authorization)) {
      verdict.status =
          Status(ErrorCode::kUnauthenticated, "no API key: send 'Authorization: Bearer <key>'");
      verdict.headers.emplace_back("www-authenticate", "Bearer");
      return verdict;
    }
    auto principal = authenticate(authorization);
    if (!principal && !on_behalf_of.empty() && loopback_key_.authenticate(authorization)) {
      principal = tenancy::Principal{std::string(on_behalf_of), "loopback", false};
    }
    if (!principal) {
      verdict.status =
          Status(ErrorCode::kUnauthenticated,
                 "the API key is unknown or revoked (" + tenancy::redact_key(authorization) + ")");
      verdict.headers.emplace_back("www-authenticate", "Bearer error=\"invalid_token\"");
      return verdict;
    }
    who = std::move(*principal);
  }
  if ((path == "/admin" || path.starts_with("/admin/")) && !who.admin) {
    verdict.status =
        Status(ErrorCode::kPermissionDenied,
               "admin routes need an admin key; this key belongs to tenant '" + who.tenant + "'");
    return verdict;
  }
  // The key's own limits first, so a key over them takes nothing from its tenant; the
  // tenant's x-ratelimit-* headers are the ones an admitted request sees.
  if (who.scope.limits.any() &&
      !admit(key_rate_, key_concurrency_, who.key_id, "API key", verdict, verdict.key_permit)) {
    return verdict;
  }
  if (!admit(rate_, concurrency_, who.tenant, "tenant", verdict, verdict.permit)) return verdict;
  const tenancy::Tenant* t = settings->tenants.find(who.tenant);
  const auto cls = who.scope.default_class ? who.scope.default_class
                   : t                     ? std::optional(t->default_class)
                                           : std::nullopt;
  context.tenant = std::move(who.tenant);
  context.admin = who.admin;
  context.default_priority = cls ? core::default_level(*cls) : -1;
  context.key_models = std::move(who.scope.models);
  return verdict;
}

bool Guard::allows_model(const RequestContext& context, std::string_view model) const {
  const tenancy::Tenant* t = settings()->tenants.find(context.tenant);
  const bool key_allows = context.key_models.empty() ||
                          std::find(context.key_models.begin(), context.key_models.end(), model) !=
                              context.key_models.end();
  return key_allows && (t == nullptr || t->allows_model(model));
}

void Guard::charge_tokens(std::string_view tenant, std::int64_t tokens) {
  rate_.settle_tokens(tenant, 0, tokens);
}

void Guard::settle_tokens(std::string_view tenant, std::int64_t estimated, std::int64_t actual) {
  rate_.settle_tokens(tenant, estimated, actual);
}

core::Result<tenancy::CreatedKey> Guard::create_key(const tenancy::KeySpec& spec) {
  auto minted = mint_key(spec);
  if (!minted) return minted.status();
  if (auto added = add_minted_key(*minted); !added) return added;
  return minted;
}

core::Result<tenancy::CreatedKey> Guard::mint_key(const tenancy::KeySpec& spec) const {
  tenancy::Tenant probe;
  probe.id = spec.tenant;
  if (auto valid = tenancy::validate_tenant(probe); !valid) {
    return core::invalid_argument(valid.message(), "tenant");
  }
  if (auto valid = tenancy::validate_scope(spec.scope); !valid) return valid;
  // A configuration key would shadow a new key with its id: draw again (ids are random).
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto minted = runtime_keys_.mint(spec);
    if (!minted || !settings()->config_keys->info(minted->info.id)) return minted;
  }
  return Status(ErrorCode::kInternal, "could not draw a key id unused by the configuration");
}

core::Status Guard::add_minted_key(const tenancy::CreatedKey& key) {
  const tenancy::KeyInfo& info = key.info;
  auto added = runtime_keys_.add_hashed({info.tenant, info.admin, info.label, info.scope},
                                        tenancy::sha256(key.secret), info.id);
  if (!added) return added.status();
  apply_key_limits(*settings(), *added);
  return Status::ok();
}

tenancy::SyncReport Guard::sync_keys(const std::vector<tenancy::StoredKey>& keys) {
  const tenancy::SyncReport report = runtime_keys_.sync(keys);
  if (report.added > 0) {
    const auto settings = this->settings();
    for (const auto& key : keys) apply_key_limits(*settings, key.info);
  }
  return report;
}

std::vector<Guard::ListedKey> Guard::list_keys() const {
  const auto settings = this->settings();
  std::vector<ListedKey> out;
  for (auto& info : settings->config_keys->list()) out.push_back({std::move(info), true});
  for (auto& info : runtime_keys_.list()) {
    if (!settings->config_keys->info(info.id)) out.push_back({std::move(info), false});
  }
  std::sort(out.begin(), out.end(),
            [](const ListedKey& a, const ListedKey& b) { return a.info.id < b.info.id; });
  return out;
}

std::optional<Guard::ListedKey> Guard::find_key(std::string_view id) const {
  if (auto info = settings()->config_keys->info(id)) return ListedKey{std::move(*info), true};
  if (auto info = runtime_keys_.info(id)) return ListedKey{std::move(*info), false};
  return std::nullopt;
}

Status Guard::revoke_key(std::string_view id) {
  if (settings()->config_keys->info(id)) {
    return Status(
        ErrorCode::kConflict,
        "key '" + std::string(id) +
            "' is defined in the configuration file; remove it there and reload (SIGHUP)");
  }
  return runtime_keys_.revoke(id);
}

}  // namespace autoglm::api
