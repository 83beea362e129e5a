// Turns successive /proc readings into the host part of a heartbeat: CPU utilisation and
// network bytes/s are deltas between this sample and the previous one, so the first
// sample has none of them. Not thread-safe: owned by the agent's loop.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "agent/proc_stats.hpp"
#include "core/clock.hpp"
#include "monitor/heartbeat_json.hpp"

namespace autoglm::agent {

class HostSampler {
 public:
  // `net_capacity_bytes_per_s` > 0 also yields net_util (rx + tx over the capacity).
  explicit HostSampler(std::filesystem::path proc_root, double net_capacity_bytes_per_s = 0);

  monitor::HostSample sample(core::Time now);
  // The last reader failure ("cannot read /proc/stat"), or "" when all reads worked.
  const std::string& last_error() const { return last_error_; }

 private:
  std::filesystem::path root_;
  double net_capacity_;
  std::optional<CpuTimes> cpu_;
  std::optional<NetCounters> net_;
  core::Time net_at_{0};
  std::string last_error_;
};

}  // namespace autoglm::agent
