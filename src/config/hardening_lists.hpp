// Readers for the hardening keys that are lists or nested maps: `auth.keys`, `tenants`,
// `routes` and tenant limit maps (see hardening_config.hpp and docs/configuration.md).
// Each item's keys are checked like any section's; cross-references (a key's tenant, a
// route's nodes) are checked when the gateway builds its guard (api/guard.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "config/field.hpp"
#include "config/hardening_config.hpp"

namespace autoglm::config {

// A rate (requests per second, burst): a number >= 0 and at most 1e9.
bool read_rate(const Field& field, double& out);

// Items: {tenant (required), id, admin, label, and exactly one of sha256 (64 hex digits)
// or key (the key in clear, normally ${ENV}, at least 16 characters)}. Replaces `out`
// unless null.
void read_api_keys(const Field& field, std::vector<ApiKeyConfig>& out);

// tokens-per-minute: an integer 0..1e9; 0 means no limit (nullopt).
void read_tokens_per_minute(const Field& field, std::optional<std::int64_t>& out);
// max-concurrent: an integer 0..1e6; 0 means no limit.
void read_max_concurrent(const Field& field, std::size_t& out);

// A map {requests-per-second, burst, tokens-per-minute, max-concurrent}.
void read_tenant_limits(const Field& field, TenantLimitsConfig& out);

// Items: {id (required, unique), default-class, models (list, may be empty), limits}.
void read_tenants(const Field& field, std::vector<TenantConfig>& out);

// Items: {model (required, unique), sticky-header, subsets (required list of
// {name, weight, nodes | labels})}.
void read_routes(const Field& field, std::vector<RouteConfig>& out);

}  // namespace autoglm::config
