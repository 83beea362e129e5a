#include "agent/host_sampler.hpp"

namespace autoglm::agent {

HostSampler::HostSampler(std::filesystem::path proc_root, double net_capacity_bytes_per_s)
    : root_(std::move(proc_root)), net_capacity_(net_capacity_bytes_per_s) {}

monitor::HostSample HostSampler::sample(core::Time now) {
  monitor::HostSample out;
  last_error_.clear();
  auto note = [&](const core::Status& s) {
    if (last_error_.empty()) last_error_ = s.message();
  };

  if (auto cpu = read_cpu_times(root_)) {
    if (cpu_) out.cpu_util = cpu_utilisation(*cpu_, *cpu);
    cpu_ = *cpu;
  } else {
    note(cpu.status());
  }

  if (auto mem = read_meminfo(root_)) {
    out.mem_total_bytes = static_cast<double>(mem->total_bytes);
    out.mem_available_bytes = static_cast<double>(mem->available_bytes);
  } else {
    note(mem.status());
  }

  if (auto net = read_net_dev(root_)) {
    if (net_ && now > net_at_ && net->rx_bytes >= net_->rx_bytes &&
        net->tx_bytes >= net_->tx_bytes) {
      double seconds = std::chrono::duration<double>(now - net_at_).count();
      out.net_rx_bytes_per_s = static_cast<double>(net->rx_bytes - net_->rx_bytes) / seconds;
      out.net_tx_bytes_per_s = static_cast<double>(net->tx_bytes - net_->tx_bytes) / seconds;
      if (net_capacity_ > 0) {
        double util = (*out.net_rx_bytes_per_s + *out.net_tx_bytes_per_s) / net_capacity_;
        out.net_util = util > 1 ? 1.0 : util;
      }
    }
    net_ = *net;
    net_at_ = now;
  } else {
    note(net.status());
  }
  return out;
}

}  // namespace autoglm::agent
