// Readers of the Linux /proc files the agent reports: CPU time (/proc/stat), memory
// (/proc/meminfo) and network byte counters (/proc/net/dev), each under a configurable
// root so tests read fixture files. Pure functions over file contents; no state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::agent {

// The aggregate "cpu" line of /proc/stat, in clock ticks.
struct CpuTimes {
  std::uint64_t busy = 0;   // user+nice+system+irq+softirq+steal
  std::uint64_t total = 0;  // busy + idle + iowait
};
core::Result<CpuTimes> parse_proc_stat(std::string_view text);
core::Result<CpuTimes> read_cpu_times(const std::filesystem::path& proc_root);
// Busy share of the ticks between two readings; nullopt when no tick passed (or the
// counters went backwards), never a guess.
std::optional<double> cpu_utilisation(const CpuTimes& before, const CpuTimes& after);

struct MemInfo {
  std::uint64_t total_bytes = 0;
  std::uint64_t available_bytes = 0;
};
// Needs MemTotal and MemAvailable (Linux 3.14+).
core::Result<MemInfo> parse_meminfo(std::string_view text);
core::Result<MemInfo> read_meminfo(const std::filesystem::path& proc_root);

// Bytes received and sent, summed over interfaces other than loopback.
struct NetCounters {
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
};
core::Result<NetCounters> parse_net_dev(std::string_view text);
core::Result<NetCounters> read_net_dev(const std::filesystem::path& proc_root);

// The whole file at proc_root / relative, or a kUnavailable status naming it.
core::Result<std::string> read_proc_file(const std::filesystem::path& proc_root,
                                         std::string_view relative);

}  // namespace autoglm::agent
