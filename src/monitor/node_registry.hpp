// The gateway's registry of nodes as monitoring sees them: for each node its state machine,
// heartbeats, health-check streak, outlier record, circuit breaker, slow start, latest
// metrics and a short failure backoff. Events go in (heartbeats, scrapes, checks, request
// outcomes, drain, deregister, time passing); what comes out is a NodeUpdate whenever the
// way the scheduler should treat a node changed, or new metrics arrived.
// Pure logic on injected time, not thread-safe: the live monitor guards it with one mutex.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/node.hpp"
#include "core/node_view.hpp"
#include "core/status.hpp"
#include "monitor/backend_metrics.hpp"
#include "monitor/circuit_breaker.hpp"
#include "monitor/heartbeat_json.hpp"
#include "monitor/heartbeat_tracker.hpp"
#include "monitor/node_state.hpp"
#include "monitor/outlier_detector.hpp"
#include "monitor/request_outcome.hpp"
#include "monitor/slow_start.hpp"

namespace autoglm::monitor {

struct RegistryOptions {
  NodeStateOptions state;
  core::Duration heartbeat = std::chrono::seconds(1);  // default agent period
  bool health_checks = true;  // whether nodes without an agent are actively checked
  OutlierConfig outlier;
  CircuitBreakerConfig breaker;
  SlowStartConfig slow_start;
  // A node that could not be reached is skipped this long (passive, before any ejection).
  core::Duration failure_backoff = std::chrono::seconds(2);
};

// How the scheduler should see one node now. Emitted when `accepts_work`, `draining` or
// `removed` changed, when `warmup` moved by 0.05 or reached 1, or with fresh `metrics`.
struct NodeUpdate {
  std::size_t index = 0;
  bool accepts_work = true;  // healthy or degraded, not ejected, breaker not open, no backoff
  bool draining = false;
  bool removed = false;
  double warmup = 1.0;  // slow-start share in [min_weight, 1]; 1 when not ramping
  std::optional<core::NodeMetrics> metrics;
};

// Everything GET /admin/v1/nodes shows about one node.
struct NodeReport {
  std::size_t index = 0;
  core::NodeSpec spec;
  std::string state;  // joining, healthy, degraded, draining, ejected, down
  std::string reason;
  core::Time since{0};
  bool accepts_work = false;
  std::string source;  // "config", "registered" or "agent"
  std::optional<core::Duration> heartbeat_age;
  std::optional<core::Duration> scrape_age;
  std::string scrape_error;
  core::NodeMetrics metrics;
  std::vector<GpuSample> gpus;  // from the agent's last heartbeat
  std::string gpu_status;       // the agent's NVML status ("ok", "no_library", ...)
  OutlierInfo outlier;
  std::string breaker;  // closed, open, half_open
  int pending = 0;
  double slow_start = 1.0;  // share of its full weight while ramping up
};

class NodeRegistry {
 public:
  NodeRegistry(RegistryOptions options, core::Time now);

  // A node known at start-up (configuration or embedded cluster): in service at once;
  // health checks and outliers take it out later if need be. `index` is its place in the
  // scheduler's node table.
  NodeUpdate add_static(std::size_t index, const core::NodeSpec& spec, core::Time now);
  // A node registered through the API. With an agent (heartbeat interval > 0) it joins on
  // its first heartbeat; without, after `healthy_threshold` passing health checks (or at
  // once when health checks are off).
  NodeUpdate add_registered(std::size_t index, const NodeRegistration& registration,
                            core::Time now);

  // The index of the node with this id that has not been deregistered.
  std::optional<std::size_t> find(std::string_view id) const;
  std::size_t size() const { return nodes_.size(); }

  // A heartbeat from an agent; kNotFound for an unknown or deregistered node (the agent
  // registers again).
  core::Result<NodeUpdate> heartbeat(const Heartbeat& heartbeat, core::Time now);
  // The result of scraping the node's backend /metrics.
  std::optional<NodeUpdate> scraped(std::size_t index, const core::Result<BackendMetrics>& metrics,
                                    core::Time now);
  std::optional<NodeUpdate> health_checked(std::size_t index, bool passed, std::string_view detail,
                                           core::Time now);

  // Asks the node's breaker to let one request through; every admitted request is then
  // finished() or abandoned() once.
  Admission admit(std::size_t index, core::Time now);
  // A request the node served (or failed): feeds the breaker, outlier detection and the
  // failure backoff. `admitted`: whether admit() counted it.
  std::optional<NodeUpdate> finished(std::size_t index, RequestOutcome outcome, bool admitted,
                                     core::Time now);
  void abandoned(std::size_t index);
  // Skips the node for the failure backoff (it refused a request: 408, 429, 502-504).
  std::optional<NodeUpdate> back_off(std::size_t index, core::Time now);

  // Time passing: missed heartbeats, ejections that end, breakers that half-open, backoffs
  // that expire. Call it every few hundred milliseconds.
  std::vector<NodeUpdate> tick(core::Time now);

  core::Result<NodeUpdate> drain(std::string_view id, core::Time now);
  core::Result<NodeUpdate> deregister(std::string_view id, core::Time now);

  // Nodes whose backend is scraped: in the registry, and no agent reporting its backend.
  std::vector<std::size_t> scrape_targets() const;
  // Nodes actively health-checked: in the registry and without an agent.
  std::vector<std::size_t> check_targets() const;

  std::vector<NodeReport> report(core::Time now) const;
  std::optional<NodeReport> report(std::string_view id, core::Time now) const;

 private:
  enum class Source { kConfig, kRegistered, kAgent };
  struct Entry {
    Entry(std::size_t i, core::NodeSpec s, Source src, const RegistryOptions& options,
          core::Time now)
        : index(i),
          spec(std::move(s)),
          source(src),
          state(options.state, now),
          heartbeats(options.heartbeat),
          breaker(options.breaker),
          slow_start(options.slow_start) {}
    std::size_t index;
    core::NodeSpec spec;
    Source source;
    NodeStateMachine state;
    HeartbeatTracker heartbeats;
    CircuitBreaker breaker;
    SlowStart slow_start;
    core::Time registered_at{0};
    core::Time backoff_until{0};
    bool breaker_open = false;  // as last seen, to mark the node degraded
    bool agent_reports_backend = false;
    core::NodeMetrics metrics;
    std::optional<core::Time> scraped_at;
    std::string scrape_error;
    std::vector<GpuSample> gpus;
    std::string gpu_status;
    NodeUpdate published;  // what the scheduler was last told
  };

  Entry& add(std::size_t index, const core::NodeSpec& spec, Source source, core::Time now);
  Entry* entry(std::size_t index);
  // The update for `e` if what the scheduler should see changed (or `metrics` is set).
  std::optional<NodeUpdate> publish(Entry& e, core::Time now,
                                    std::optional<core::NodeMetrics> metrics = std::nullopt);
  NodeUpdate current(const Entry& e, core::Time now) const;
  // Applies a state change: starts slow start when the node (re)enters service.
  void changed(Entry& e, const std::optional<StateChange>& change, core::Time now);
  NodeReport report_of(const Entry& e, core::Time now) const;

  RegistryOptions options_;
  OutlierDetector outliers_;
  std::vector<Entry> nodes_;  // by index; deregistered ones stay, marked removed
};

}  // namespace autoglm::monitor
