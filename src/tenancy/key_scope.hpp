// What narrows one API key within its tenant: its own default priority class, a model
// allow-list and per-key request and concurrency limits. The tenant's settings still apply;
// a key's scope can only add to them. Plain data and a pure check.
// Threading: values; share freely.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "core/task.hpp"

namespace autoglm::tenancy {

// Zero means "no per-key limit" for every field. Token budgets stay per tenant.
struct KeyLimits {
  double requests_per_second = 0;
  double burst = 0;                // 0: max(1, requests_per_second)
  std::size_t max_concurrent = 0;  // requests in flight at once with this key

  bool any() const { return requests_per_second > 0 || max_concurrent > 0; }
  bool operator==(const KeyLimits&) const = default;
};

struct KeyScope {
  std::optional<core::PriorityClass> default_class;  // overrides the tenant's when set
  std::vector<std::string> models;  // non-empty: only these (and only if the tenant allows)
  KeyLimits limits;

  bool allows_model(std::string_view model) const;
  bool operator==(const KeyScope&) const = default;
};

// Non-negative limits, burst >= 1 when a rate is set, model names that are not empty and
// hold no control characters. Messages name the field as the admin API spells it.
core::Status validate_scope(const KeyScope& scope);

}  // namespace autoglm::tenancy
