#include "limits/token_bucket.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace autoglm::limits {

TokenBucket::TokenBucket(double rate_per_second, double burst, core::Time now)
    : rate_(rate_per_second), burst_(burst), level_(burst), updated_(now) {}

void TokenBucket::refill(core::Time now) {
  if (now <= updated_) return;  // a clock read on another thread may lag: never go back
  const double seconds = std::chrono::duration<double>(now - updated_).count();
  level_ = std::min(burst_, level_ + seconds * rate_);
  updated_ = now;
}

core::Duration TokenBucket::seconds_for(double tokens) const {
  if (tokens <= 0) return core::Duration::zero();
  // Round up so that waiting the returned time is always enough.
  const double ns = std::ceil(tokens / rate_ * 1e9);
  return core::Duration(static_cast<core::Duration::rep>(ns));
}

TakeResult TokenBucket::try_take(double n, core::Time now) {
  refill(now);
  TakeResult r;
  const bool fits = n <= level_ || (n > burst_ && level_ >= burst_);
  if (fits) {
    level_ -= n;
    r.allowed = true;
    r.remaining = level_;
  } else {
    r.remaining = level_;
    r.retry_after = seconds_for(std::min(n, burst_) - level_);
  }
  r.reset = seconds_for(burst_ - level_);
  return r;
}

void TokenBucket::give_back(double n, core::Time now) {
  refill(now);
  level_ = std::min(burst_, level_ + n);
}

void TokenBucket::charge(double n, core::Time now) {
  refill(now);
  level_ -= n;
}

void TokenBucket::reconfigure(double rate_per_second, double burst, core::Time now) {
  refill(now);
  rate_ = rate_per_second;
  burst_ = burst;
  level_ = std::min(level_, burst_);
}

double TokenBucket::level(core::Time now) {
  refill(now);
  return level_;
}

core::Duration TokenBucket::time_to_full(core::Time now) {
  refill(now);
  return seconds_for(burst_ - level_);
}

}  // namespace autoglm::limits
