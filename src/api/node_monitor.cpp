#include "api/node_monitor.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/scheduler_setup.hpp"
#include "http/client.hpp"

namespace autoglm::api {

namespace asio = boost::asio;

monitor::RegistryOptions registry_options(const config::MonitorConfig& config,
                                          config::Millis failure_backoff) {
  monitor::RegistryOptions o;
  o.state.healthy_threshold = config.health_check.healthy_threshold;
  o.state.unhealthy_threshold = config.health_check.unhealthy_threshold;
  o.state.missed_heartbeats_down = config.missed_heartbeats;
  o.heartbeat = config.heartbeat;
  o.health_checks = config.health_check.enabled;
  o.outlier.enabled = config.outlier.enabled;
  o.outlier.consecutive_5xx = config.outlier.consecutive_5xx;
  o.outlier.consecutive_gateway_failure = config.outlier.consecutive_gateway_failure;
  o.outlier.interval = config.outlier.interval;
  o.outlier.base_ejection_time = config.outlier.base_ejection_time;
  o.outlier.max_ejection_time = config.outlier.max_ejection_time;
  o.outlier.max_ejection_percent = config.outlier.max_ejection_percent;
  o.breaker.enabled = config.breaker.enabled;
  o.breaker.failure_threshold = config.breaker.failure_threshold;
  o.breaker.open_time = config.breaker.open_time;
  o.breaker.half_open_trials = config.breaker.half_open_trials;
  o.breaker.max_pending = config.breaker.max_pending;
  o.slow_start.window = config.slow_start.window;
  o.slow_start.aggression = config.slow_start.aggression;
  o.slow_start.min_weight = config.slow_start.min_weight;
  o.failure_backoff = failure_backoff;
  return o;
}

NodeMonitor::NodeMonitor(asio::io_context& io, const config::Config& config,
                         dispatch::NodeSet& nodes, dispatch::SchedulerDriver& driver)
    : io_(io),
      config_(config.monitor),
      nodes_(nodes),
      driver_(driver),
      registry_(registry_options(config.monitor, config.upstream.failure_backoff), clock_.now()) {
  const core::Time now = clock_.now();
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    registry_.add_static(i, nodes_.at(i).spec, now);
  }
  scraping_.assign(nodes_.size(), 0);
  checking_.assign(nodes_.size(), 0);
}

void NodeMonitor::start() {
  asio::co_spawn(io_, tick_loop(), asio::detached);
  if (config_.scrape_interval.count() > 0) asio::co_spawn(io_, scrape_loop(), asio::detached);
  if (config_.health_check.enabled) asio::co_spawn(io_, check_loop(), asio::detached);
}

void NodeMonitor::stop() { stopped_ = true; }

void NodeMonitor::apply(const monitor::NodeUpdate& update) {
  const auto node = static_cast<core::NodeIndex>(update.index);
  if (update.removed) nodes_.mark_removed(update.index);
  nodes_.set_accepting(update.index, update.accepts_work);
  driver_.set_healthy(node, update.accepts_work);
  driver_.set_draining(node, update.draining);
  driver_.set_warmup(node, update.warmup);
  if (update.metrics) driver_.update_metrics(node, *update.metrics);
}

void NodeMonitor::apply(const std::vector<monitor::NodeUpdate>& updates) {
  for (const auto& update : updates) apply(update);
}

core::Result<NodeMonitor::Registered> NodeMonitor::register_node(
    const monitor::NodeRegistration& registration) {
  const core::NodeSpec& spec = registration.node;
  std::lock_guard lock(mu_);
  const auto existing = registry_.find(spec.id);
  if (existing) {
    if (nodes_.at(*existing).spec.url == spec.url) return Registered{*existing, false};
    // The same id at a new address replaces the old registration.
    if (auto gone = registry_.deregister(spec.id, clock_.now())) apply(*gone);
  }
  // NodeSet and the scheduler's table grow together, under mu_, so indices stay aligned.
  auto index = nodes_.add(spec);
  if (!index) return index.status();
  driver_.add_node(node_view_for(spec));
  scraping_.push_back(0);
  checking_.push_back(0);
  apply(registry_.add_registered(*index, registration, clock_.now()));
  spdlog::info("node {} registered at {} ({})", spec.id, spec.url,
               registration.heartbeat_interval_ms > 0 ? "agent" : "health-checked");
  return Registered{*index, !existing};
}

core::Status NodeMonitor::heartbeat(const monitor::Heartbeat& heartbeat) {
  std::lock_guard lock(mu_);
  auto update = registry_.heartbeat(heartbeat, clock_.now());
  if (!update) return update.status();
  apply(*update);
  return core::Status::ok();
}

core::Status NodeMonitor::drain(std::string_view id) {
  std::lock_guard lock(mu_);
  auto update = registry_.drain(id, clock_.now());
  if (!update) return update.status();
  apply(*update);
  spdlog::info("node {} draining", id);
  return core::Status::ok();
}

core::Status NodeMonitor::deregister(std::string_view id) {
  std::lock_guard lock(mu_);
  auto update = registry_.deregister(id, clock_.now());
  if (!update) return update.status();
  apply(*update);
  spdlog::info("node {} deregistered", id);
  return core::Status::ok();
}

monitor::Admission NodeMonitor::admit(std::size_t index) {
  std::lock_guard lock(mu_);
  return registry_.admit(index, clock_.now());
}

void NodeMonitor::finished(std::size_t index, monitor::RequestOutcome outcome, bool admitted) {
  std::lock_guard lock(mu_);
  if (auto update = registry_.finished(index, outcome, admitted, clock_.now())) apply(*update);
}

void NodeMonitor::back_off(std::size_t index) {
  std::lock_guard lock(mu_);
  if (auto update = registry_.back_off(index, clock_.now())) apply(*update);
}

void NodeMonitor::abandoned(std::size_t index) {
  std::lock_guard lock(mu_);
  registry_.abandoned(index);
}

std::vector<monitor::NodeReport> NodeMonitor::report() const {
  std::lock_guard lock(mu_);
  return registry_.report(clock_.now());
}

std::optional<monitor::NodeReport> NodeMonitor::report(std::string_view id) const {
  std::lock_guard lock(mu_);
  return registry_.report(id, clock_.now());
}

asio::awaitable<void> NodeMonitor::tick_loop() {
  asio::steady_timer timer(io_);
  while (!stopped_) {
    timer.expires_after(std::chrono::milliseconds(100));
    co_await timer.async_wait(asio::use_awaitable);
    std::lock_guard lock(mu_);
    apply(registry_.tick(clock_.now()));
  }
}

asio::awaitable<void> NodeMonitor::scrape_loop() {
  asio::steady_timer timer(io_);
  while (!stopped_) {
    {
      std::lock_guard lock(mu_);
      for (std::size_t index : registry_.scrape_targets()) {
        if (scraping_[index]) continue;
        scraping_[index] = 1;
        asio::co_spawn(io_, scrape(index, http::join_url(nodes_.at(index).spec.url, "/metrics")),
                       asio::detached);
      }
    }
    timer.expires_after(config_.scrape_interval);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<void> NodeMonitor::scrape(std::size_t index, std::string url) {
  http::ClientRequest request;
  request.url = std::move(url);
  request.timeout = config_.scrape_timeout;
  auto response = co_await http::fetch(std::move(request));
  core::Result<monitor::BackendMetrics> metrics = core::Status(core::ErrorCode::kInternal, "");
  if (!response) {
    metrics = response.status();
  } else if (response->status != 200) {
    metrics = core::Status(core::ErrorCode::kUpstreamFailure,
                           "/metrics answered " + std::to_string(response->status));
  } else {
    metrics = monitor::parse_backend_metrics(response->body, response->server);
  }
  std::lock_guard lock(mu_);
  scraping_[index] = 0;
  if (auto update = registry_.scraped(index, metrics, clock_.now())) apply(*update);
}

asio::awaitable<void> NodeMonitor::check_loop() {
  asio::steady_timer timer(io_);
  while (!stopped_) {
    timer.expires_after(config_.health_check.interval);
    co_await timer.async_wait(asio::use_awaitable);
    std::lock_guard lock(mu_);
    for (std::size_t index : registry_.check_targets()) {
      if (checking_[index]) continue;
      checking_[index] = 1;
      asio::co_spawn(
          io_, check(index, http::join_url(nodes_.at(index).spec.url, config_.health_check.path)),
          asio::detached);
    }
  }
}

// Health checks use a fresh connection each (http::fetch), never the request pool, so a
// burst of traffic queued on a node cannot make its check time out.
asio::awaitable<void> NodeMonitor::check(std::size_t index, std::string url) {
  http::ClientRequest request;
  request.url = std::move(url);
  request.timeout = config_.health_check.timeout;
  auto response = co_await http::fetch(std::move(request));
  const bool passed = response && response->status >= 200 && response->status < 300;
  std::string detail =
      !response ? response.status().message() : "status " + std::to_string(response->status);
  std::lock_guard lock(mu_);
  checking_[index] = 0;
  if (auto update = registry_.health_checked(index, passed, passed ? "" : detail, clock_.now())) {
    const auto& spec = nodes_.at(index).spec;
    spdlog::info("node {} {} (health check: {})", spec.id,
                 update->accepts_work ? "takes work again" : "takes no new work", detail);
    apply(*update);
  }
}

}  // namespace autoglm::api
