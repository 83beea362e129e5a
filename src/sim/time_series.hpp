// Time series the cluster simulator records for charts: the cluster's state sampled at a
// fixed simulated-time interval, in bounded memory (when full, neighbours merge, doubling the
// interval).
#pragma once

#include <cstddef>
#include <vector>

#include "core/clock.hpp"

namespace autoglm::sim {

// The cluster over one sampling interval.
struct ClusterSample {
  double gpu_util = 0;  // mean over nodes of the share of the interval spent in iterations
  double queued = 0;    // requests waiting in the scheduler's queue, at the interval's end
  double waiting = 0;   // requests waiting in the engines' queues (KV room, batch slots)
  double running = 0;   // requests in the engines' running batches
};

// Samples pushed at a base interval from `start`. At most `max_samples` are kept: when the
// store is full, pairs of neighbours are averaged into one and every later stored sample
// averages twice as many pushes, so memory stays bounded however long the run.
// Averaging is exact for utilisation (equal intervals) and a mean level for the counts.
// Not thread-safe; owned by one simulation.
class TimeSeries {
 public:
  TimeSeries() = default;
  // REQUIRES: interval > 0, max_samples >= 2.
  TimeSeries(core::Time start, core::Duration interval, std::size_t max_samples = 1024);

  void push(const ClusterSample& sample);

  bool empty() const { return samples_.empty(); }
  std::size_t size() const { return samples_.size(); }
  const std::vector<ClusterSample>& samples() const { return samples_; }
  core::Time start() const { return start_; }
  // The interval one stored sample covers: the base interval times the pushes it averages.
  core::Duration interval() const { return base_ * static_cast<std::int64_t>(group_); }
  // The end of stored sample i's interval.
  core::Time time_of(std::size_t i) const {
    return start_ + interval() * static_cast<std::int64_t>(i + 1);
  }

 private:
  void merge_pairs();

  core::Time start_{0};
  core::Duration base_{0};
  std::size_t max_samples_ = 0;
  std::size_t group_ = 1;  // pushes per stored sample
  std::vector<ClusterSample> samples_;
  ClusterSample pending_;  // sum of the pushes not yet stored
  std::size_t pending_count_ = 0;
};

}  // namespace autoglm::sim
