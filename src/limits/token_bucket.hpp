// A token bucket with an injected time: `rate` tokens per second refill it up to `burst`.
// Used by the rate limiter for requests and for LLM tokens; no I/O, no clock of its own.
// Threading: not thread-safe; the owner (RateLimiter) guards each bucket with a mutex.
#pragma once

#include "core/clock.hpp"

namespace autoglm::limits {

struct TakeResult {
  bool allowed = false;
  double remaining = 0;         // tokens left after the take (before, when denied)
  core::Duration retry_after{0};  // denied: when the same take would pass; zero if allowed
  core::Duration reset{0};       // until the bucket is full again
};

class TokenBucket {
 public:
  // Starts full. REQUIRES: rate > 0, burst > 0.
  TokenBucket(double rate_per_second, double burst, core::Time now);

  // Takes n tokens when there are n. A take larger than the whole burst passes only when
  // the bucket is full, and leaves it in debt (negative) so the cost is still paid: a
  // request bigger than the limit is slow, never impossible.
  TakeResult try_take(double n, core::Time now);
  // Puts back tokens taken for work that did not happen, at most up to `burst`.
  void give_back(double n, core::Time now);
  // Charges tokens after the fact (actual usage beyond an estimate); may go into debt.
  void charge(double n, core::Time now);
  // New rate and burst (config reload), keeping the current level capped at the new burst.
  void reconfigure(double rate_per_second, double burst, core::Time now);

  double level(core::Time now);
  double rate() const { return rate_; }
  double burst() const { return burst_; }
  core::Duration time_to_full(core::Time now);

 private:
  void refill(core::Time now);
  core::Duration seconds_for(double tokens) const;

  double rate_;
  double burst_;
  double level_;
  core::Time updated_;
};

}  // namespace autoglm::limits
