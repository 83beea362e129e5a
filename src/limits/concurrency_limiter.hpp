// In-flight bounds by key: one instance bounds requests per tenant, another per node.
// A permit is an RAII slot: holding it counts one request in flight; dropping it frees it.
// Threading: thread-safe. Acquire/release are a shared lock on the key table plus one
// atomic compare-and-swap; a permit may outlive the limiter and be dropped on any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::limits {

class ConcurrencyLimiter {
  struct Slot {
    std::atomic<std::size_t> in_flight{0};
    std::atomic<std::size_t> limit{0};  // 0: unbounded
  };

 public:
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept : slot_(std::move(other.slot_)) {}
    Permit& operator=(Permit&& other) noexcept {
      if (this != &other) {
        release();
        slot_ = std::move(other.slot_);
      }
      return *this;
    }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit() { release(); }

    bool held() const { return slot_ != nullptr; }
    void release() {
      if (slot_) slot_->in_flight.fetch_sub(1, std::memory_order_acq_rel);
      slot_.reset();
    }

   private:
    friend class ConcurrencyLimiter;
    explicit Permit(std::shared_ptr<Slot> slot) : slot_(std::move(slot)) {}
    std::shared_ptr<Slot> slot_;
  };

  // `what` names the keys in messages ("tenant", "node"); default_limit applies to keys
  // without their own limit (0: unbounded).
  explicit ConcurrencyLimiter(std::string what, std::size_t default_limit = 0);

  // Changes a key's bound; permits already held stay valid even above a lowered bound.
  void set_limit(std::string_view key, std::size_t limit);
  // A permit, or kResourceExhausted when the key already has `limit` requests in flight.
  core::Result<Permit> try_acquire(std::string_view key);
  std::size_t in_flight(std::string_view key) const;
  std::size_t limit(std::string_view key) const;

 private:
  std::shared_ptr<Slot> slot(std::string_view key);

  const std::string what_;
  const std::size_t default_limit_;
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<Slot>, std::less<>> slots_;  // guarded by mu_
};

}  // namespace autoglm::limits
