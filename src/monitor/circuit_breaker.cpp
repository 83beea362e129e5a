#include "monitor/circuit_breaker.hpp"

namespace autoglm::monitor {

std::string_view breaker_state_name(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "unknown";
}

std::string_view admission_name(Admission admission) {
  switch (admission) {
    case Admission::kAdmitted:
      return "admitted";
    case Admission::kRejectedOpen:
      return "breaker_open";
    case Admission::kRejectedMaxPending:
      return "max_pending";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config) : config_(config) {}

BreakerState CircuitBreaker::state(core::Time now) const {
  if (state_ == BreakerState::kOpen && now >= open_until_) return BreakerState::kHalfOpen;
  return state_;
}

void CircuitBreaker::open(core::Time now) {
  state_ = BreakerState::kOpen;
  open_until_ = now + config_.open_time;
  trial_successes_ = 0;
  ++times_opened_;
}

Admission CircuitBreaker::try_acquire(core::Time now) {
  if (config_.max_pending > 0 && pending_ >= config_.max_pending) {
    return Admission::kRejectedMaxPending;
  }
  if (config_.enabled) {
    if (state_ == BreakerState::kOpen && now >= open_until_) {
      state_ = BreakerState::kHalfOpen;
      trials_in_flight_ = 0;
      trial_successes_ = 0;
    }
    if (state_ == BreakerState::kOpen) return Admission::kRejectedOpen;
    if (state_ == BreakerState::kHalfOpen) {
      if (trials_in_flight_ + trial_successes_ >= config_.half_open_trials) {
        return Admission::kRejectedOpen;
      }
      ++trials_in_flight_;
    }
  }
  ++pending_;
  return Admission::kAdmitted;
}

void CircuitBreaker::abandon() {
  if (pending_ > 0) --pending_;
  if (state_ == BreakerState::kHalfOpen && trials_in_flight_ > 0) --trials_in_flight_;
}

void CircuitBreaker::finish(RequestOutcome outcome, core::Time now) {
  if (pending_ > 0) --pending_;
  bool trial = state_ == BreakerState::kHalfOpen && trials_in_flight_ > 0;
  if (trial) --trials_in_flight_;
  if (!config_.enabled) return;
  if (!is_node_failure(outcome)) {  // success or 4xx: the node answered
    consecutive_failures_ = 0;
    if (trial && ++trial_successes_ >= config_.half_open_trials) {
      state_ = BreakerState::kClosed;
      trial_successes_ = 0;
    }
    return;
  }
  ++consecutive_failures_;
  if (state_ == BreakerState::kHalfOpen) {
    if (trial) open(now);  // a trial failed: back to open for another open_time
    return;
  }
  if (state_ == BreakerState::kClosed && consecutive_failures_ >= config_.failure_threshold) {
    open(now);
  }
}

}  // namespace autoglm::monitor
