// Tenants: who a request belongs to, the priority class it gets by default, the models it
// may use and the limits it runs under. Plain data plus a read-only directory.
// Threading: Tenant is a value; TenantDirectory is immutable once built (share it freely).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "core/task.hpp"

namespace autoglm::tenancy {

// Zero means "no limit" for every field.
struct TenantLimits {
  double requests_per_second = 0;  // sustained rate of the tenant's request bucket
  double burst = 0;                // bucket size; 0 means max(1, requests_per_second)
  std::optional<std::int64_t> tokens_per_minute;  // input + output tokens
  std::size_t max_concurrent = 0;                 // requests in flight at once

  bool operator==(const TenantLimits&) const = default;
};

struct Tenant {
  std::string id;
  core::PriorityClass default_class = core::PriorityClass::kStandard;
  std::vector<std::string> allowed_models;  // empty: every model
  TenantLimits limits;

  bool allows_model(std::string_view model) const;
  bool operator==(const Tenant&) const = default;
};

// Checks one tenant: a non-empty id of [A-Za-z0-9._-] (at most 64 bytes), non-negative
// limits, burst >= 1 when a rate is set, no empty model names. Messages name the field.
core::Status validate_tenant(const Tenant& tenant);

// Tenants by id. Build once (from config), then share as const.
class TenantDirectory {
 public:
  // Fails on the first invalid tenant or a repeated id.
  static core::Result<TenantDirectory> build(std::vector<Tenant> tenants);

  const Tenant* find(std::string_view id) const;
  std::size_t size() const { return tenants_.size(); }
  const std::map<std::string, Tenant, std::less<>>& all() const { return tenants_; }

 private:
  std::map<std::string, Tenant, std::less<>> tenants_;
};

}  // namespace autoglm::tenancy
