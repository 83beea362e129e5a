// Time as the scheduler, policies and simulator see it: injected, never read directly.
// The live gateway passes a SteadyClock; tests and the simulator a ManualClock.
#pragma once

#include <chrono>
#include <cstdint>

namespace autoglm::core {

// Nanoseconds since an arbitrary epoch (process start for SteadyClock, 0 for ManualClock).
using Time = std::chrono::nanoseconds;
using Duration = std::chrono::nanoseconds;

inline double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
inline Duration from_ms(double ms) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(ms));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  Time now() const override {
    return std::chrono::duration_cast<Time>(std::chrono::steady_clock::now().time_since_epoch());
  }
};

// A clock that moves only when told to. Not thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start = Time{0}) : now_(start) {}
  Time now() const override { return now_; }
  void advance(Duration d) { now_ += d; }
  void set(Time t) { now_ = t; }

 private:
  Time now_;
};

}  // namespace autoglm::core
