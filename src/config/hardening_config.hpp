// Configuration of the gateway's hardening: authentication and API keys, tenants, rate and
// concurrency limits, the response cache and canary routes (docs/hardening.md).
// Plain structs filled by the schema (hardening_lists.cpp); reloaded on SIGHUP.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace autoglm::config {

// One API key from the file. Exactly one of `sha256` and `secret` is set.
struct ApiKeyConfig {
  std::string id;      // "key_..." to keep the id stable across reloads; "" draws one
  std::string tenant;  // required
  bool admin = false;
  std::string label;
  std::string sha256;  // 64 hex digits of the key's SHA-256
  std::string secret;  // the key in clear (usually ${ENV}); hashed when the ring is built,
                       // masked by to_yaml, never logged

  bool operator==(const ApiKeyConfig&) const = default;
};

struct AuthConfig {
  // Off in the built-in defaults (and logged as such at start-up); every request then
  // acts as tenant "default" with admin rights.
  bool enabled = false;
  std::vector<ApiKeyConfig> keys;
  // Keys created at run time live in the store (when it is open) and every gateway re-reads
  // them this often: the bound on how long a revocation made on another replica, or on
  // the database, takes to apply here.
  std::chrono::milliseconds key_refresh{5'000};
  // An unknown key re-reads the store at once, unless it was read less than this ago (a
  // negative cache, so a stream of bad keys costs at most one read per interval). 0: never
  // on a miss, only every key_refresh.
  std::chrono::milliseconds key_miss_refresh{1'000};

  bool operator==(const AuthConfig&) const = default;
};

// Zero means "no limit" for every field.
struct TenantLimitsConfig {
  double requests_per_second = 0;
  double burst = 0;  // 0: max(1, requests_per_second)
  std::optional<std::int64_t> tokens_per_minute;
  std::size_t max_concurrent = 0;

  bool operator==(const TenantLimitsConfig&) const = default;
};

struct TenantConfig {
  std::string id;
  std::string default_class = "standard";    // critical, standard, batch or sheddable
  std::vector<std::string> models;           // allow-list; empty: every model
  std::optional<TenantLimitsConfig> limits;  // absent: limits.tenant-default

  bool operator==(const TenantConfig&) const = default;
};

struct LimitsConfig {
  double global_requests_per_second = 0;  // every request of every tenant; 0: no limit
  double global_burst = 0;
  TenantLimitsConfig tenant_default;  // tenants without limits of their own

  bool operator==(const LimitsConfig&) const = default;
};

struct CacheConfig {
  bool enabled = true;  // only deterministic requests are cached (docs/hardening.md)
  std::chrono::milliseconds ttl{300'000};
  std::size_t max_bytes = 64u << 20;
  std::size_t max_entry_bytes = 1u << 20;

  bool operator==(const CacheConfig&) const = default;
};

struct RouteSubsetConfig {
  std::string name;
  std::uint32_t weight = 0;
  std::vector<std::string> nodes;
  std::map<std::string, std::string> labels;

  bool operator==(const RouteSubsetConfig&) const = default;
};

// A model's traffic split over node subsets (canary / weighted routing).
struct RouteConfig {
  std::string model;
  std::string sticky_header;  // "" : no stickiness
  std::vector<RouteSubsetConfig> subsets;

  bool operator==(const RouteConfig&) const = default;
};

}  // namespace autoglm::config
