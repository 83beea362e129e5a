#include "tenancy/tenant.hpp"

#include <algorithm>

namespace autoglm::tenancy {

namespace {

bool valid_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}

}  // namespace

bool Tenant::allows_model(std::string_view model) const {
  if (allowed_models.empty()) return true;
  return std::find(allowed_models.begin(), allowed_models.end(), model) != allowed_models.end();
}

core::Status validate_tenant(const Tenant& tenant) {
  if (tenant.id.empty() || tenant.id.size() > 64 ||
      !std::all_of(tenant.id.begin(), tenant.id.end(), valid_id_char)) {
    return core::invalid_argument(
        "tenant id '" + tenant.id + "' must be 1-64 characters of letters, digits, '.', '_' or '-'",
        "tenants.id");
  }
  const std::string where = "tenants." + tenant.id + ".";
  const TenantLimits& l = tenant.limits;
  if (!(l.requests_per_second >= 0) || !(l.burst >= 0)) {
    return core::invalid_argument("requests_per_second and burst must be zero (no limit) or positive",
                                  where + "limits");
  }
  if (l.requests_per_second > 0 && l.burst > 0 && l.burst < 1) {
    return core::invalid_argument("burst must be at least 1 so one request can pass",
                                  where + "limits.burst");
  }
  if (l.tokens_per_minute && *l.tokens_per_minute <= 0) {
    return core::invalid_argument("tokens_per_minute must be positive; leave it out for no limit",
                                  where + "limits.tokens_per_minute");
  }
  for (const auto& m : tenant.allowed_models) {
    if (m.empty()) {
      return core::invalid_argument("an allowed model name is empty", where + "models");
    }
  }
  return core::Status::ok();
}

core::Result<TenantDirectory> TenantDirectory::build(std::vector<Tenant> tenants) {
  TenantDirectory dir;
  for (auto& t : tenants) {
    if (auto s = validate_tenant(t); !s) return s;
    const std::string id = t.id;
    if (!dir.tenants_.emplace(id, std::move(t)).second) {
      return core::invalid_argument("tenant '" + id + "' is defined twice", "tenants.id");
    }
  }
  return dir;
}

const Tenant* TenantDirectory::find(std::string_view id) const {
  auto it = tenants_.find(id);
  return it == tenants_.end() ? nullptr : &it->second;
}

}  // namespace autoglm::tenancy
