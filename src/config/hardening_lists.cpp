#include "config/hardening_lists.hpp"

#include <array>
#include <cctype>
#include <map>
#include <set>

#include "config/lists.hpp"
#include "config/scalars.hpp"

namespace autoglm::config {
namespace {

constexpr std::array<std::string_view, 4> kClasses{"critical", "standard", "batch", "sheddable"};
constexpr std::size_t kMinSecretBytes = 16;

bool is_hex_digest(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Reports a repeated value of a list's identifying key ("duplicate tenant id 'acme'").
class UniqueNames {
 public:
  explicit UniqueNames(std::string_view what) : what_(what) {}
  void check(const Field& item, const std::string& name) {
    if (name.empty()) return;
    auto [it, inserted] = first_seen_.emplace(name, item.value().origin().where());
    if (!inserted) {
      item.error("duplicate " + std::string(what_) + " '" + name + "' (first defined at " +
                 it->second + ")");
    }
  }

 private:
  std::string_view what_;
  std::map<std::string, std::string> first_seen_;
};

// A list of maps read by `read_item`, replacing `out` unless null; an item whose
// `name_of` repeats an earlier one is reported as a duplicate `what`.
template <typename Item, typename ReadItem, typename NameOf>
void read_named_list(const Field& field, std::vector<Item>& out, std::string_view what,
                     std::string_view expected, ReadItem read_item, NameOf name_of) {
  if (field.is_null()) return;
  std::vector<Item> items;
  UniqueNames names(what);
  field.for_each_item([&](const Field& item) {
    if (item.is_null()) return item.error(expected);
    Item read = read_item(item);
    names.check(item, name_of(read));
    items.push_back(std::move(read));
  });
  out = std::move(items);
}

ApiKeyConfig read_api_key(const Field& item) {
  ApiKeyConfig key;
  require_keys(item, {"tenant"});
  static const std::vector<std::string> kKeys{"id", "tenant", "admin", "label", "sha256", "key"};
  item.for_each_entry(kKeys, [&](std::string_view name, const Field& value) {
    if (name == "id") value.read_nonempty_string(key.id);
    if (name == "tenant") value.read_nonempty_string(key.tenant);
    if (name == "admin") value.read_bool(key.admin);
    if (name == "label") value.read_string(key.label);
    if (name == "sha256" && value.read_nonempty_string(key.sha256) && !is_hex_digest(key.sha256)) {
      value.error("expected the 64 hex digits of the key's SHA-256");  // no value echoed
    }
    if (name == "key" && value.read_nonempty_string(key.secret) &&
        key.secret.size() < kMinSecretBytes) {
      value.error("a key must be at least 16 characters long");  // never echo a secret
    }
  });
  if (item.value().is_map() && key.sha256.empty() == key.secret.empty()) {
    item.error("give exactly one of 'sha256' (the key's hash) and 'key' (e.g. ${MY_KEY})");
  }
  return key;
}

TenantConfig read_tenant(const Field& item) {
  TenantConfig tenant;
  require_keys(item, {"id"});
  static const std::vector<std::string> kKeys{"id", "default-class", "models", "limits"};
  item.for_each_entry(kKeys, [&](std::string_view name, const Field& value) {
    if (name == "id") value.read_nonempty_string(tenant.id);
    if (name == "default-class") value.read_choice(tenant.default_class, kClasses);
    if (name == "models") read_string_list(value, tenant.models);
    if (name == "limits" && !value.is_null()) {
      TenantLimitsConfig limits;
      read_tenant_limits(value, limits);
      tenant.limits = limits;
    }
  });
  return tenant;
}

RouteSubsetConfig read_subset(const Field& item) {
  RouteSubsetConfig subset;
  require_keys(item, {"name", "weight"});
  static const std::vector<std::string> kKeys{"name", "weight", "nodes", "labels"};
  item.for_each_entry(kKeys, [&](std::string_view name, const Field& value) {
    if (name == "name") value.read_nonempty_string(subset.name);
    if (name == "weight") {
      int weight = 0;
      if (value.read_int(weight, 0, 1'000'000)) subset.weight = static_cast<std::uint32_t>(weight);
    }
    if (name == "nodes") read_string_list(value, subset.nodes);
    if (name == "labels") read_labels(value, subset.labels);
  });
  if (item.value().is_map() && subset.nodes.empty() && subset.labels.empty()) {
    item.error("a subset needs 'nodes' (node ids) or 'labels' (a selector)");
  }
  return subset;
}

RouteConfig read_route(const Field& item) {
  RouteConfig route;
  require_keys(item, {"model", "subsets"});
  static const std::vector<std::string> kKeys{"model", "sticky-header", "subsets"};
  item.for_each_entry(kKeys, [&](std::string_view name, const Field& value) {
    if (name == "model") value.read_nonempty_string(route.model);
    if (name == "sticky-header") value.read_string(route.sticky_header);
    if (name == "subsets") {
      read_named_list(value, route.subsets, "subset name", "expected a map with name and weight",
                      read_subset, [](const RouteSubsetConfig& subset) { return subset.name; });
    }
  });
  return route;
}

}  // namespace

bool read_rate(const Field& field, double& out) {
  std::string text;
  if (!field.read_string(text)) return false;
  core::Result<double> parsed = parse_number(text);
  if (!parsed) {
    field.error(parsed.status().message());
    return false;
  }
  if (!(*parsed >= 0 && *parsed <= 1e9)) {
    field.error("must be between 0 (no limit) and 1000000000, got " + text);
    return false;
  }
  out = *parsed;
  return true;
}

void read_tokens_per_minute(const Field& field, std::optional<std::int64_t>& out) {
  int tpm = 0;
  if (field.read_int(tpm, 0, 1'000'000'000)) {
    out = tpm > 0 ? std::optional<std::int64_t>(tpm) : std::nullopt;
  }
}

void read_max_concurrent(const Field& field, std::size_t& out) {
  int n = 0;
  if (field.read_int(n, 0, 1'000'000)) out = static_cast<std::size_t>(n);
}

void read_tenant_limits(const Field& field, TenantLimitsConfig& out) {
  static const std::vector<std::string> kKeys{"requests-per-second", "burst", "tokens-per-minute",
                                              "max-concurrent"};
  field.for_each_entry(kKeys, [&](std::string_view name, const Field& value) {
    if (name == "requests-per-second") read_rate(value, out.requests_per_second);
    if (name == "burst") read_rate(value, out.burst);
    if (name == "tokens-per-minute") read_tokens_per_minute(value, out.tokens_per_minute);
    if (name == "max-concurrent") read_max_concurrent(value, out.max_concurrent);
  });
}

void read_api_keys(const Field& field, std::vector<ApiKeyConfig>& out) {
  std::set<std::string> material;
  read_named_list(field, out, "key id", "expected a map with tenant and sha256 or key",
                  [&](const Field& item) {
                    ApiKeyConfig key = read_api_key(item);
                    const std::string& m = key.sha256.empty() ? key.secret : key.sha256;
                    if (!m.empty() && !material.insert(m).second) {
                      item.error("the same key is listed twice");
                    }
                    return key;
                  },
                  [](const ApiKeyConfig& key) { return key.id; });
}

void read_tenants(const Field& field, std::vector<TenantConfig>& out) {
  read_named_list(field, out, "tenant id", "expected a map with an id", read_tenant,
                  [](const TenantConfig& tenant) { return tenant.id; });
}

void read_routes(const Field& field, std::vector<RouteConfig>& out) {
  read_named_list(field, out, "route for model", "expected a map with model and subsets",
                  read_route, [](const RouteConfig& route) { return route.model; });
}

}  // namespace autoglm::config
