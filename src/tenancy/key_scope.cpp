#include "tenancy/key_scope.hpp"

#include <algorithm>

namespace autoglm::tenancy {

bool KeyScope::allows_model(std::string_view model) const {
  return models.empty() || std::find(models.begin(), models.end(), model) != models.end();
}

core::Status validate_scope(const KeyScope& scope) {
  const KeyLimits& l = scope.limits;
  if (!(l.requests_per_second >= 0) || !(l.burst >= 0)) {
    return core::invalid_argument(
        "requests_per_second and burst must be zero (no limit) or positive", "limits");
  }
  if (l.requests_per_second > 0 && l.burst > 0 && l.burst < 1) {
    return core::invalid_argument("burst must be at least 1 so one request can pass",
                                  "limits.burst");
  }
  for (const auto& m : scope.models) {
    const bool control = std::any_of(m.begin(), m.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (m.empty() || control) {
      return core::invalid_argument("a model name is empty or holds a control character", "models");
    }
  }
  return core::Status::ok();
}

}  // namespace autoglm::tenancy
