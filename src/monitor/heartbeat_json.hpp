// The agent <-> scheduler wire format (docs/monitoring.md): the registration body of
// POST /admin/v1/nodes and the heartbeat body of POST /admin/v1/nodes/{id}/heartbeat,
// with their JSON (de)serialisers, shared by `autoglm agent` and the gateway. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/node.hpp"
#include "core/node_view.hpp"
#include "core/status.hpp"
#include "monitor/backend_metrics.hpp"

namespace autoglm::monitor {

// Absent numbers are not measured: they are left out of the JSON, never sent as zero.
struct GpuSample {
  unsigned index = 0;
  std::string name;
  std::string uuid;
  std::optional<double> util;  // 0..1
  std::optional<double> mem_used_bytes;
  std::optional<double> mem_total_bytes;
  std::optional<double> temperature_c;
  std::optional<double> power_watts;
};

struct HostSample {
  std::optional<double> cpu_util;  // 0..1, over the last interval
  std::optional<double> mem_total_bytes;
  std::optional<double> mem_available_bytes;
  std::optional<double> net_rx_bytes_per_s;
  std::optional<double> net_tx_bytes_per_s;
  std::optional<double> net_util;  // 0..1 of the configured link capacity
};

struct Heartbeat {
  std::string node_id;
  std::uint64_t seq = 0;         // increases by one per heartbeat of one agent run
  std::int64_t interval_ms = 0;  // the agent's heartbeat period
  HostSample host;
  // "ok", "no_library" (no libnvidia-ml), "no_devices", or "error: <text>".
  std::string gpu_status = "ok";
  std::vector<GpuSample> gpus;
  std::optional<BackendMetrics> backend;  // absent when the backend's /metrics failed
  std::string backend_error;              // why it failed, when it did
  std::vector<std::string> models;        // as the backend's /v1/models lists them
};

struct NodeRegistration {
  core::NodeSpec node;                     // id, url, models, labels, capacity
  std::int64_t heartbeat_interval_ms = 0;  // 0: not an agent (static registration)
  std::string agent_version;
};

// One GPU as the heartbeat carries it (numbers nobody measured left out); also what
// GET /admin/v1/nodes shows.
boost::json::object gpu_json(const GpuSample& gpu);

std::string to_json(const Heartbeat& heartbeat);
core::Result<Heartbeat> heartbeat_from_json(std::string_view text);

std::string to_json(const NodeRegistration& registration);
core::Result<NodeRegistration> registration_from_json(std::string_view text);

// The scheduler's view of a heartbeat: GPU utilisation is the mean over GPUs that report
// it, memory and power are sums; fields nobody measured stay -1.
core::NodeMetrics to_node_metrics(const Heartbeat& heartbeat, core::Time received_at);

}  // namespace autoglm::monitor
