#include "agent/proc_stats.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace autoglm::agent {

namespace {

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

template <typename F>
void for_each_line(std::string_view text, F f) {
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    f(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

}  // namespace

core::Result<std::string> read_proc_file(const std::filesystem::path& root,
                                         std::string_view relative) {
  auto path = root / relative;
  std::ifstream in(path);
  if (!in) return core::unavailable("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

core::Result<CpuTimes> parse_proc_stat(std::string_view text) {
  std::optional<CpuTimes> found;
  for_each_line(text, [&](std::string_view line) {
    auto f = fields(line);
    if (found || f.size() < 5 || f[0] != "cpu") return;
    // user nice system idle iowait irq softirq steal [guest guest_nice: already in user]
    std::uint64_t v[8] = {};
    for (std::size_t i = 1; i < f.size() && i <= 8; ++i) {
      auto n = to_u64(f[i]);
      if (!n) return;
      v[i - 1] = *n;
    }
    CpuTimes t;
    std::uint64_t idle = v[3] + v[4];
    t.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    t.total = t.busy + idle;
    found = t;
  });
  if (!found) return core::invalid_argument("no aggregate 'cpu' line in /proc/stat");
  return *found;
}

core::Result<CpuTimes> read_cpu_times(const std::filesystem::path& root) {
  auto text = read_proc_file(root, "stat");
  if (!text) return text.status();
  return parse_proc_stat(*text);
}

std::optional<double> cpu_utilisation(const CpuTimes& before, const CpuTimes& after) {
  if (after.total <= before.total || after.busy < before.busy) return std::nullopt;
  double busy = static_cast<double>(after.busy - before.busy);
  double total = static_cast<double>(after.total - before.total);
  return busy > total ? 1.0 : busy / total;
}

core::Result<MemInfo> parse_meminfo(std::string_view text) {
  std::optional<std::uint64_t> total, available;
  for_each_line(text, [&](std::string_view line) {
    auto f = fields(line);
    if (f.size() < 2) return;
    auto kib = to_u64(f[1]);
    if (!kib) return;
    std::uint64_t bytes = *kib * (f.size() > 2 && f[2] == "kB" ? 1024 : 1);
    if (f[0] == "MemTotal:") total = bytes;
    if (f[0] == "MemAvailable:") available = bytes;
  });
  if (!total || !available) {
    return core::invalid_argument("/proc/meminfo lacks MemTotal or MemAvailable (Linux 3.14+)");
  }
  return MemInfo{*total, *available};
}

core::Result<MemInfo> read_meminfo(const std::filesystem::path& root) {
  auto text = read_proc_file(root, "meminfo");
  if (!text) return text.status();
  return parse_meminfo(*text);
}

core::Result<NetCounters> parse_net_dev(std::string_view text) {
  NetCounters sum;
  int interfaces = 0;
  for_each_line(text, [&](std::string_view line) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;  // the two header lines
    auto name = fields(line.substr(0, colon));
    if (name.size() != 1 || name[0] == "lo") return;
    auto f = fields(line.substr(colon + 1));
    if (f.size() < 9) return;
    auto rx = to_u64(f[0]);
    auto tx = to_u64(f[8]);
    if (!rx || !tx) return;
    sum.rx_bytes += *rx;
    sum.tx_bytes += *tx;
    ++interfaces;
  });
  if (interfaces == 0) return core::invalid_argument("no network interface in /proc/net/dev");
  return sum;
}

core::Result<NetCounters> read_net_dev(const std::filesystem::path& root) {
  auto text = read_proc_file(root, "net/dev");
  if (!text) return text.status();
  return parse_net_dev(*text);
}

}  // namespace autoglm::agent
