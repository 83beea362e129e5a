#include "limits/concurrency_limiter.hpp"

#include <mutex>

namespace autoglm::limits {

ConcurrencyLimiter::ConcurrencyLimiter(std::string what, std::size_t default_limit)
    : what_(std::move(what)), default_limit_(default_limit) {}

std::shared_ptr<ConcurrencyLimiter::Slot> ConcurrencyLimiter::slot(std::string_view key) {
  {
    std::shared_lock lock(mu_);
    auto it = slots_.find(key);
    if (it != slots_.end()) return it->second;
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = slots_.try_emplace(std::string(key));
  if (inserted) {
    it->second = std::make_shared<Slot>();
    it->second->limit.store(default_limit_);
  }
  return it->second;
}

void ConcurrencyLimiter::set_limit(std::string_view key, std::size_t limit) {
  slot(key)->limit.store(limit, std::memory_order_release);
}

core::Result<ConcurrencyLimiter::Permit> ConcurrencyLimiter::try_acquire(std::string_view key) {
  std::shared_ptr<Slot> s = slot(key);
  std::size_t current = s->in_flight.load(std::memory_order_acquire);
  for (;;) {
    const std::size_t limit = s->limit.load(std::memory_order_acquire);
    if (limit != 0 && current >= limit) {
      return core::Status(core::ErrorCode::kResourceExhausted,
                          what_ + " '" + std::string(key) + "' already has " +
                              std::to_string(current) + " requests in flight (its limit is " +
                              std::to_string(limit) + "); retry when one finishes");
    }
    if (s->in_flight.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel)) {
      return Permit(std::move(s));
    }
  }
}

std::size_t ConcurrencyLimiter::in_flight(std::string_view key) const {
  std::shared_lock lock(mu_);
  auto it = slots_.find(key);
  return it == slots_.end() ? 0 : it->second->in_flight.load(std::memory_order_acquire);
}

std::size_t ConcurrencyLimiter::limit(std::string_view key) const {
  std::shared_lock lock(mu_);
  auto it = slots_.find(key);
  return it == slots_.end() ? default_limit_ : it->second->limit.load(std::memory_order_acquire);
}

}  // namespace autoglm::limits
