// The retry budget (Envoy/Finagle style): a retry may start only while the retries in
// flight stay under max(min_retries, ratio * active requests), so retries cannot multiply
// the load of an outage. Plus the rule for when a failed attempt may be retried at all.
// Threading: thread-safe (atomics); guards may be dropped on any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>

#include "core/status.hpp"

namespace autoglm::limits {

struct RetryBudgetOptions {
  double ratio = 0.2;           // retries in flight per active request
  std::size_t min_retries = 3;  // always allowed, so a quiet gateway can still retry
};

class RetryBudget {
 public:
  // Counts while alive; move-only.
  class Guard {
   public:
    Guard() = default;
    Guard(Guard&& o) noexcept : counter_(o.counter_) { o.counter_ = nullptr; }
    Guard& operator=(Guard&& o) noexcept {
      if (this != &o) {
        reset();
        counter_ = o.counter_;
        o.counter_ = nullptr;
      }
      return *this;
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() { reset(); }
    void reset() {
      if (counter_) counter_->fetch_sub(1, std::memory_order_acq_rel);
      counter_ = nullptr;
    }
    bool held() const { return counter_ != nullptr; }

   private:
    friend class RetryBudget;
    explicit Guard(std::atomic<std::size_t>* c) : counter_(c) {}
    std::atomic<std::size_t>* counter_ = nullptr;
  };

  explicit RetryBudget(RetryBudgetOptions options = {}) { set_options(options); }
  // New bounds (SIGHUP); retries in flight keep their guards.
  void set_options(RetryBudgetOptions options) {
    ratio_.store(options.ratio, std::memory_order_relaxed);
    min_retries_.store(options.min_retries, std::memory_order_relaxed);
  }
  RetryBudget(const RetryBudget&) = delete;
  RetryBudget& operator=(const RetryBudget&) = delete;

  // One per client request for as long as it is being served (retries included).
  // REQUIRES: the budget outlives every guard.
  Guard enter();
  // A guard for one retry attempt, or nullopt when the budget is spent.
  std::optional<Guard> try_retry();

  std::size_t active() const { return active_.load(std::memory_order_acquire); }
  std::size_t retries_in_flight() const { return retries_.load(std::memory_order_acquire); }
  std::size_t allowed_retries() const;

 private:
  std::atomic<double> ratio_{0};
  std::atomic<std::size_t> min_retries_{0};
  std::atomic<std::size_t> active_{0};
  std::atomic<std::size_t> retries_{0};
};

struct RetryPolicy {
  int max_retries = 2;  // attempts after the first
};

// Whether a failed attempt may be tried again on another node: only while no byte has
// reached the client, only for failures another node may not have (kUpstreamFailure,
// kUnavailable, kTimeout before the first byte), and only max_retries times. The budget
// is asked separately (try_retry) so that a "no" here spends nothing.
bool retryable(const RetryPolicy& policy, int retries_so_far, bool first_byte_sent,
               core::ErrorCode failure);

}  // namespace autoglm::limits
