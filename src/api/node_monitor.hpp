// Execution monitoring for the live gateway: keeps the node registry (monitor/) current
// from heartbeats, backend /metrics scrapes, active health checks and the outcome of every
// proxied request, and passes each change on to the connection layer (NodeSet) and the
// scheduler core (SchedulerDriver). The one owner of "may this node take new work".
// Thread-safe: every member may be called from any I/O thread.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "dispatch/node_set.hpp"
#include "dispatch/scheduler_driver.hpp"
#include "monitor/node_registry.hpp"

namespace autoglm::api {

// The registry's options from the configuration.
monitor::RegistryOptions registry_options(const config::MonitorConfig& config,
                                          config::Millis failure_backoff);

class NodeMonitor {
 public:
  NodeMonitor(boost::asio::io_context& io, const config::Config& config,
              dispatch::NodeSet& nodes, dispatch::SchedulerDriver& driver);

  // Starts the tick, scrape and health-check loops; stop() ends them.
  void start();
  void stop();

  struct Registered {
    std::size_t index = 0;
    bool created = false;  // false: the id was registered before
  };
  // Registers a node (POST /admin/v1/nodes). The same id at the same URL again is a
  // re-registration (an agent after a restart); at another URL it replaces the old node.
  core::Result<Registered> register_node(const monitor::NodeRegistration& registration);
  core::Status heartbeat(const monitor::Heartbeat& heartbeat);
  core::Status drain(std::string_view id);
  core::Status deregister(std::string_view id);

  // The breaker's word on sending one request to `index` now; an admitted request is
  // finished() or abandoned() once.
  monitor::Admission admit(std::size_t index);
  void finished(std::size_t index, monitor::RequestOutcome outcome, bool admitted = true);
  void abandoned(std::size_t index);
  // The node refused a request (408, 429, 502-504): skip it for the failure backoff.
  void back_off(std::size_t index);

  std::vector<monitor::NodeReport> report() const;
  std::optional<monitor::NodeReport> report(std::string_view id) const;

 private:
  void apply(const monitor::NodeUpdate& update);
  void apply(const std::vector<monitor::NodeUpdate>& updates);
  boost::asio::awaitable<void> tick_loop();
  boost::asio::awaitable<void> scrape_loop();
  boost::asio::awaitable<void> check_loop();
  boost::asio::awaitable<void> scrape(std::size_t index, std::string url);
  boost::asio::awaitable<void> check(std::size_t index, std::string url);

  boost::asio::io_context& io_;
  config::MonitorConfig config_;
  dispatch::NodeSet& nodes_;
  dispatch::SchedulerDriver& driver_;
  core::SteadyClock clock_;
  mutable std::mutex mu_;  // guards registry_; NodeSet and driver calls are thread-safe
  monitor::NodeRegistry registry_;
  // Per node: a scrape or a health check is in flight, so a slow node is not asked twice.
  std::vector<char> scraping_;  // mu_
  std::vector<char> checking_;  // mu_
  std::atomic<bool> stopped_{false};
};

}  // namespace autoglm::api
