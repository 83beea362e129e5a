// The node agent behind `autoglm agent`: beside one backend, it registers the node with
// the scheduler, then sends a heartbeat with host, GPU and backend metrics every interval;
// it re-registers when the scheduler forgot it (404) and backs off while it is unreachable.
// With etcd endpoints it also (or only) keeps {prefix}/nodes/{id} = its registration
// under a lease of its own, so every gateway replica sees the node and drops it when the
// agent dies.
// Wire format: docs/monitoring.md. Runs as one coroutine on the io_context it is given;
// its state belongs to that coroutine, stats() may be read from any thread.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "monitor/heartbeat_json.hpp"

namespace autoglm::cluster {
class Presence;
}  // namespace autoglm::cluster

namespace autoglm::agent {

struct AgentOptions {
  std::string scheduler_url;  // http://gateway:8080; "" with etcd_endpoints: etcd only
  std::string node_id;
  std::string backend_url;    // the local backend, http://127.0.0.1:8000
  std::string advertise_url;  // what the scheduler should call; "" means backend_url
  std::string api_key;        // an admin key, sent as a Bearer token when the gateway has auth
  std::map<std::string, std::string> labels;
  int capacity = 0;
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds request_timeout{2000};  // per scheduler or backend call
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_max{30'000};
  std::string proc_root = "/proc";
  std::string nvml_library = "libnvidia-ml.so.1";
  double net_capacity_bytes_per_s = 0;      // 0: unknown, no net_util
  std::uint64_t seed = 0;                   // backoff jitter; 0: random
  std::vector<std::string> etcd_endpoints;  // empty: no etcd membership
  std::string etcd_prefix = "/autoglm";
  std::chrono::seconds lease_ttl{10};
};

struct AgentStats {
  std::uint64_t registrations = 0;                  // accepted registrations
  std::uint64_t reregistrations = 0;                // after a heartbeat answered 404
  std::uint64_t heartbeats = 0;                     // accepted heartbeats
  std::uint64_t failures = 0;                       // calls to the scheduler that failed
  std::vector<std::chrono::milliseconds> backoffs;  // delays chosen, oldest first (last 64)
  std::string last_error;
  std::string gpu_status;
};

class Agent {
 public:
  Agent(boost::asio::io_context& io, AgentOptions options);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Starts the register/heartbeat loop on the io_context.
  void start();
  // Ends the loop at its next wait; the io_context then runs out of agent work.
  void stop();

  // One heartbeat's worth of readings (host, GPUs, backend, models), as the loop sends.
  boost::asio::awaitable<monitor::Heartbeat> collect();

  AgentStats stats() const;
  const AgentOptions& options() const { return options_; }

 private:
  struct State;
  boost::asio::awaitable<void> run();
  // etcd only: keeps the node's registration current there, every interval.
  boost::asio::awaitable<void> run_etcd_only();
  // The registration as the scheduler and etcd get it, with the backend's models now.
  boost::asio::awaitable<monitor::NodeRegistration> registration();
  boost::asio::awaitable<bool> register_node();
  boost::asio::awaitable<void> wait(std::chrono::milliseconds delay);
  void record_failure(const std::string& why);
  std::chrono::milliseconds next_backoff();

  boost::asio::io_context& io_;
  AgentOptions options_;
  std::unique_ptr<State> state_;
  std::unique_ptr<cluster::Presence> presence_;  // with etcd_endpoints
  std::atomic<bool> stopped_{false};
  mutable std::mutex stats_mu_;
  AgentStats stats_;
};

}  // namespace autoglm::agent
