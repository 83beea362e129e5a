// A circuit breaker for one node: closed (traffic flows), open (refuse at once for a
// while after consecutive node failures), half-open (let a few trial requests through;
// enough successes close it, a failure reopens it). Also bounds the requests pending on
// the node. 4xx answers never count as failures. Not thread-safe: guard it with the
// node's mutex or keep it on one strand; every admitted request must be finished once.
#pragma once

#include <string_view>

#include "core/clock.hpp"
#include "monitor/request_outcome.hpp"

namespace autoglm::monitor {

struct CircuitBreakerConfig {
  bool enabled = true;
  int failure_threshold = 5;                            // consecutive node failures that open it
  core::Duration open_time = std::chrono::seconds(10);  // before trials are let through
  int half_open_trials = 3;  // successes in half-open that close it (also the
                             // number of trial requests allowed at once)
  int max_pending = 0;       // requests in flight on the node; 0: no bound
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };
std::string_view breaker_state_name(BreakerState state);

enum class Admission {
  kAdmitted,
  kRejectedOpen,        // the breaker is open (or half-open with every trial taken)
  kRejectedMaxPending,  // max_pending requests already in flight
};
std::string_view admission_name(Admission admission);

class CircuitBreaker {
 public:
  explicit CircuitBreaker(CircuitBreakerConfig config);

  // Asks to send one request now. kAdmitted counts it as pending until finish/abandon.
  Admission try_acquire(core::Time now);
  // The admitted request ended with `outcome`.
  void finish(RequestOutcome outcome, core::Time now);
  // The admitted request ended without telling anything about the node (client left).
  void abandon();

  // The state at `now` (an open breaker whose time is up reads half-open).
  BreakerState state(core::Time now) const;
  int pending() const { return pending_; }
  int consecutive_failures() const { return consecutive_failures_; }
  core::Time open_until() const { return open_until_; }
  int times_opened() const { return times_opened_; }

 private:
  void open(core::Time now);

  CircuitBreakerConfig config_;
  BreakerState state_ = BreakerState::kClosed;
  int consecutive_failures_ = 0;
  int pending_ = 0;
  int trials_in_flight_ = 0;
  int trial_successes_ = 0;
  int times_opened_ = 0;
  core::Time open_until_{0};
};

}  // namespace autoglm::monitor
