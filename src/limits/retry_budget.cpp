#include "limits/retry_budget.hpp"

#include <algorithm>
#include <cmath>

namespace autoglm::limits {

RetryBudget::Guard RetryBudget::enter() {
  active_.fetch_add(1, std::memory_order_acq_rel);
  return Guard(&active_);
}

std::size_t RetryBudget::allowed_retries() const {
  const auto share = static_cast<std::size_t>(
      std::floor(ratio_.load(std::memory_order_relaxed) * static_cast<double>(active())));
  return std::max(min_retries_.load(std::memory_order_relaxed), share);
}

std::optional<RetryBudget::Guard> RetryBudget::try_retry() {
  std::size_t current = retries_.load(std::memory_order_acquire);
  for (;;) {
    if (current >= allowed_retries()) return std::nullopt;
    if (retries_.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel)) {
      return Guard(&retries_);
    }
  }
}

bool retryable(const RetryPolicy& policy, int retries_so_far, bool first_byte_sent,
               core::ErrorCode failure) {
  if (first_byte_sent || retries_so_far >= policy.max_retries) return false;
  switch (failure) {
    case core::ErrorCode::kUpstreamFailure:
    case core::ErrorCode::kUnavailable:
    case core::ErrorCode::kTimeout:
      return true;
    default:
      return false;
  }
}

}  // namespace autoglm::limits
