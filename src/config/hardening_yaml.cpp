#include "config/hardening_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/scalars.hpp"
#include "config/substitution.hpp"

namespace autoglm::config {
namespace {

constexpr const char* kMask = "******";

// Double-quoted, with "${" escaped, like every string of to_yaml.
void quoted(YAML::Emitter& out, const std::string& text) {
  out << YAML::DoubleQuoted << escape_substitution(text);
}

void emit_strings(YAML::Emitter& out, const std::vector<std::string>& items) {
  out << YAML::Flow << YAML::BeginSeq;
  for (const std::string& item : items) quoted(out, item);
  out << YAML::EndSeq;
}

void emit_auth(YAML::Emitter& out, const AuthConfig& auth) {
  out << YAML::Key << "auth" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << auth.enabled;
  out << YAML::Key << "keys" << YAML::Value << YAML::BeginSeq;
  for (const ApiKeyConfig& key : auth.keys) {
    out << YAML::BeginMap;
    if (!key.id.empty()) out << YAML::Key << "id" << YAML::Value << key.id;
    out << YAML::Key << "tenant" << YAML::Value;
    quoted(out, key.tenant);
    out << YAML::Key << "admin" << YAML::Value << key.admin;
    out << YAML::Key << "label" << YAML::Value;
    quoted(out, key.label);
    if (key.secret.empty()) {
      out << YAML::Key << "sha256" << YAML::Value << key.sha256;
    } else {
      out << YAML::Key << "key" << YAML::Value << kMask;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "key-refresh" << YAML::Value << format_duration(auth.key_refresh);
  out << YAML::Key << "key-miss-refresh" << YAML::Value << format_duration(auth.key_miss_refresh);
  out << YAML::EndMap;
}

void emit_limits_map(YAML::Emitter& out, const TenantLimitsConfig& limits) {
  out << YAML::BeginMap;
  out << YAML::Key << "requests-per-second" << YAML::Value
      << fmt::format("{}", limits.requests_per_second);
  out << YAML::Key << "burst" << YAML::Value << fmt::format("{}", limits.burst);
  out << YAML::Key << "tokens-per-minute" << YAML::Value << limits.tokens_per_minute.value_or(0);
  out << YAML::Key << "max-concurrent" << YAML::Value << limits.max_concurrent;
  out << YAML::EndMap;
}

void emit_tenants(YAML::Emitter& out, const std::vector<TenantConfig>& tenants) {
  out << YAML::Key << "tenants" << YAML::Value << YAML::BeginSeq;
  for (const TenantConfig& tenant : tenants) {
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value;
    quoted(out, tenant.id);
    out << YAML::Key << "default-class" << YAML::Value << tenant.default_class;
    out << YAML::Key << "models" << YAML::Value;
    emit_strings(out, tenant.models);
    if (tenant.limits) {
      out << YAML::Key << "limits" << YAML::Value;
      emit_limits_map(out, *tenant.limits);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void emit_limits_cache(YAML::Emitter& out, const LimitsConfig& limits, const CacheConfig& cache) {
  out << YAML::Key << "limits" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "global" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "requests-per-second" << YAML::Value
      << fmt::format("{}", limits.global_requests_per_second);
  out << YAML::Key << "burst" << YAML::Value << fmt::format("{}", limits.global_burst);
  out << YAML::EndMap;
  out << YAML::Key << "tenant-default" << YAML::Value;
  emit_limits_map(out, limits.tenant_default);
  out << YAML::EndMap;

  out << YAML::Key << "cache" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << cache.enabled;
  out << YAML::Key << "ttl" << YAML::Value << format_duration(cache.ttl);
  out << YAML::Key << "max-bytes" << YAML::Value << format_size(cache.max_bytes);
  out << YAML::Key << "max-entry-bytes" << YAML::Value << format_size(cache.max_entry_bytes);
  out << YAML::EndMap;
}

void emit_routes(YAML::Emitter& out, const std::vector<RouteConfig>& routes) {
  out << YAML::Key << "routes" << YAML::Value << YAML::BeginSeq;
  for (const RouteConfig& route : routes) {
    out << YAML::BeginMap;
    out << YAML::Key << "model" << YAML::Value;
    quoted(out, route.model);
    if (!route.sticky_header.empty()) {
      out << YAML::Key << "sticky-header" << YAML::Value << route.sticky_header;
    }
    out << YAML::Key << "subsets" << YAML::Value << YAML::BeginSeq;
    for (const RouteSubsetConfig& subset : route.subsets) {
      out << YAML::BeginMap;
      out << YAML::Key << "name" << YAML::Value;
      quoted(out, subset.name);
      out << YAML::Key << "weight" << YAML::Value << subset.weight;
      if (!subset.nodes.empty()) {
        out << YAML::Key << "nodes" << YAML::Value;
        emit_strings(out, subset.nodes);
      }
      if (!subset.labels.empty()) {
        out << YAML::Key << "labels" << YAML::Value << YAML::Flow << YAML::BeginMap;
        for (const auto& [key, value] : subset.labels) {
          out << YAML::Key << key << YAML::Value;
          quoted(out, value);
        }
        out << YAML::EndMap;
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace

void emit_hardening(YAML::Emitter& out, const Config& config) {
  emit_auth(out, config.auth);
  emit_tenants(out, config.tenants);
  emit_limits_cache(out, config.limits, config.cache);
  emit_routes(out, config.routes);
}

}  // namespace autoglm::config
