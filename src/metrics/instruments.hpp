// The three Prometheus instruments of the gateway's /metrics: Counter, Gauge, Histogram.
// Updates are lock-free atomics, safe from any thread and cheap on hot paths; a reader
// (the /metrics handler) may see a histogram mid-update, which Prometheus tolerates.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace autoglm::metrics {

// Only goes up; inc() with a negative amount is ignored.
class Counter {
 public:
  void inc(double amount = 1.0) {
    if (amount > 0) value_.fetch_add(amount, std::memory_order_relaxed);
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into buckets with upper bounds `bounds` (strictly increasing,
// finite; the +Inf bucket is implicit) and keeps their sum.
class Histogram {
 public:
  // `bounds` must outlive the histogram (the family owns them).
  explicit Histogram(const std::vector<double>& bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Prometheus client libraries' default buckets (seconds): .005 .. 10.
std::vector<double> default_buckets();
// `count` bounds from `start`, each `factor` times the last (factor > 1).
std::vector<double> exponential_buckets(double start, double factor, int count);

}  // namespace autoglm::metrics
