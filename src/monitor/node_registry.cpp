#include "monitor/node_registry.hpp"

#include <cassert>
#include <cmath>
#include <string>

namespace autoglm::monitor {

namespace {

bool in_service(NodeState state) {
  return state == NodeState::kHealthy || state == NodeState::kDegraded;
}

core::Status unknown_node(std::string_view id) {
  return core::not_found("no node '" + std::string(id) + "' is registered", "id");
}

}  // namespace

NodeRegistry::NodeRegistry(RegistryOptions options, core::Time now)
    : options_(std::move(options)), outliers_(options_.outlier, now) {}

NodeRegistry::Entry& NodeRegistry::add(std::size_t index, const core::NodeSpec& spec, Source source,
                                       core::Time now) {
  assert(index == nodes_.size());
  (void)index;
  nodes_.emplace_back(nodes_.size(), spec, source, options_, now);
  Entry& e = nodes_.back();
  e.registered_at = now;
  outliers_.add_node(spec.id);
  return e;
}

NodeUpdate NodeRegistry::add_static(std::size_t index, const core::NodeSpec& spec, core::Time now) {
  Entry& e = add(index, spec, Source::kConfig, now);
  e.state.mark_up(now, "configured");
  e.published = current(e, now);
  return e.published;
}

NodeUpdate NodeRegistry::add_registered(std::size_t index, const NodeRegistration& registration,
                                        core::Time now) {
  const bool agent = registration.heartbeat_interval_ms > 0;
  Entry& e = add(index, registration.node, agent ? Source::kAgent : Source::kRegistered, now);
  if (agent) {
    e.heartbeats.set_interval(std::chrono::milliseconds(registration.heartbeat_interval_ms));
  } else if (!options_.health_checks) {
    e.state.mark_up(now, "registered (health checks off)");
  }
  e.published = current(e, now);
  return e.published;
}

std::optional<std::size_t> NodeRegistry::find(std::string_view id) const {
  for (const Entry& e : nodes_) {
    if (e.spec.id == id && !e.state.removed()) return e.index;
  }
  return std::nullopt;
}

NodeRegistry::Entry* NodeRegistry::entry(std::size_t index) {
  if (index >= nodes_.size() || nodes_[index].state.removed()) return nullptr;
  return &nodes_[index];
}

NodeUpdate NodeRegistry::current(const Entry& e, core::Time now) const {
  NodeUpdate u;
  u.index = e.index;
  u.removed = e.state.removed();
  u.draining = e.state.state() == NodeState::kDraining;
  u.accepts_work = !u.removed && e.state.accepts_new_work() &&
                   e.breaker.state(now) != BreakerState::kOpen && now >= e.backoff_until;
  u.warmup = e.slow_start.multiplier(now);
  return u;
}

std::optional<NodeUpdate> NodeRegistry::publish(Entry& e, core::Time now,
                                                std::optional<core::NodeMetrics> metrics) {
  NodeUpdate u = current(e, now);
  // The ramp is published in steps of 0.05 (at the monitor's tick), and its end exactly.
  const bool warmup_moved = std::abs(u.warmup - e.published.warmup) >= 0.05 ||
                            (u.warmup == 1.0 && e.published.warmup != 1.0);
  const bool changed = u.accepts_work != e.published.accepts_work ||
                       u.draining != e.published.draining || u.removed != e.published.removed ||
                       warmup_moved;
  if (!changed && !metrics) return std::nullopt;
  e.published = u;
  u.metrics = std::move(metrics);
  return u;
}

void NodeRegistry::changed(Entry& e, const std::optional<StateChange>& change, core::Time now) {
  if (!change) return;
  if (in_service(change->to) && !in_service(change->from) && change->from != NodeState::kDraining) {
    e.slow_start.begin(now);
  } else if (!in_service(change->to)) {
    e.slow_start.cancel();
  }
}

core::Result<NodeUpdate> NodeRegistry::heartbeat(const Heartbeat& heartbeat, core::Time now) {
  auto index = find(heartbeat.node_id);
  if (!index) return unknown_node(heartbeat.node_id);
  Entry& e = nodes_[*index];
  e.source = Source::kAgent;
  if (heartbeat.interval_ms > 0) {
    e.heartbeats.set_interval(std::chrono::milliseconds(heartbeat.interval_ms));
  }
  e.heartbeats.beat(now);
  changed(e, e.state.on_heartbeat(now), now);

  core::NodeMetrics metrics = to_node_metrics(heartbeat, now);
  e.agent_reports_backend = heartbeat.backend.has_value() && heartbeat.backend->any();
  if (!e.agent_reports_backend) {  // keep what scraping the backend found
    metrics.backend_running = e.metrics.backend_running;
    metrics.backend_waiting = e.metrics.backend_waiting;
    metrics.kv_cache_usage = e.metrics.kv_cache_usage;
  }
  e.metrics = metrics;
  e.gpus = heartbeat.gpus;
  e.gpu_status = heartbeat.gpu_status;
  auto update = publish(e, now, metrics);
  return update ? *update : current(e, now);
}

std::optional<NodeUpdate> NodeRegistry::scraped(std::size_t index,
                                                const core::Result<BackendMetrics>& metrics,
                                                core::Time now) {
  Entry* e = entry(index);
  if (e == nullptr) return std::nullopt;
  if (!metrics) {
    e->scrape_error = metrics.status().message();
    return publish(*e, now);
  }
  e->scrape_error.clear();
  e->scraped_at = now;
  apply_backend_metrics(*metrics, now, e->metrics);
  return publish(*e, now, e->metrics);
}

std::optional<NodeUpdate> NodeRegistry::health_checked(std::size_t index, bool passed,
                                                       std::string_view detail, core::Time now) {
  Entry* e = entry(index);
  if (e == nullptr) return std::nullopt;
  changed(*e, e->state.on_health_check(passed, now, detail), now);
  return publish(*e, now);
}

Admission NodeRegistry::admit(std::size_t index, core::Time now) {
  Entry* e = entry(index);
  if (e == nullptr) return Admission::kRejectedOpen;
  return e->breaker.try_acquire(now);
}

std::optional<NodeUpdate> NodeRegistry::finished(std::size_t index, RequestOutcome outcome,
                                                 bool admitted, core::Time now) {
  Entry* e = entry(index);
  if (e == nullptr) return std::nullopt;
  if (admitted) e->breaker.finish(outcome, now);
  if (outcome == RequestOutcome::kConnectFailure) {
    e->backoff_until = now + options_.failure_backoff;
  }
  if (auto ejection = outliers_.record(e->spec.id, outcome, now)) {
    changed(*e, e->state.on_ejected(now, "ejected: " + ejection->reason), now);
  }
  const BreakerState breaker = e->breaker.state(now);
  if (breaker == BreakerState::kOpen && !e->breaker_open) {
    e->breaker_open = true;
    changed(*e, e->state.set_degraded(true, now, "circuit breaker open"), now);
  } else if (breaker == BreakerState::kClosed && e->breaker_open) {
    e->breaker_open = false;
    changed(*e, e->state.set_degraded(false, now, "circuit breaker closed"), now);
  }
  return publish(*e, now);
}

std::optional<NodeUpdate> NodeRegistry::back_off(std::size_t index, core::Time now) {
  Entry* e = entry(index);
  if (e == nullptr) return std::nullopt;
  e->backoff_until = now + options_.failure_backoff;
  return publish(*e, now);
}

void NodeRegistry::abandoned(std::size_t index) {
  if (Entry* e = entry(index)) e->breaker.abandon();
}

std::vector<NodeUpdate> NodeRegistry::tick(core::Time now) {
  for (const std::string& id : outliers_.tick(now)) {
    if (auto index = find(id)) {
      Entry& e = nodes_[*index];
      changed(e, e.state.on_unejected(now), now);
    }
  }
  std::vector<NodeUpdate> updates;
  for (Entry& e : nodes_) {
    if (e.state.removed()) continue;
    if (e.source == Source::kAgent) {
      const int missed = e.heartbeats.missed(now, e.registered_at);
      changed(e, e.state.on_missed_heartbeats(missed, now), now);
    }
    if (auto update = publish(e, now)) updates.push_back(std::move(*update));
  }
  return updates;
}

core::Result<NodeUpdate> NodeRegistry::drain(std::string_view id, core::Time now) {
  auto index = find(id);
  if (!index) return unknown_node(id);
  Entry& e = nodes_[*index];
  changed(e, e.state.drain(now), now);
  publish(e, now);
  return current(e, now);
}

core::Result<NodeUpdate> NodeRegistry::deregister(std::string_view id, core::Time now) {
  auto index = find(id);
  if (!index) return unknown_node(id);
  Entry& e = nodes_[*index];
  changed(e, e.state.deregister(now), now);
  outliers_.remove_node(e.spec.id);
  publish(e, now);
  return current(e, now);
}

std::vector<std::size_t> NodeRegistry::scrape_targets() const {
  std::vector<std::size_t> out;
  for (const Entry& e : nodes_) {
    if (e.state.removed() || (e.source == Source::kAgent && e.agent_reports_backend)) continue;
    out.push_back(e.index);
  }
  return out;
}

std::vector<std::size_t> NodeRegistry::check_targets() const {
  std::vector<std::size_t> out;
  if (!options_.health_checks) return out;
  for (const Entry& e : nodes_) {
    if (!e.state.removed() && e.source != Source::kAgent) out.push_back(e.index);
  }
  return out;
}

NodeReport NodeRegistry::report_of(const Entry& e, core::Time now) const {
  NodeReport r;
  r.index = e.index;
  r.spec = e.spec;
  r.state = std::string(node_state_name(e.state.state()));
  r.reason = e.state.reason();
  r.since = e.state.since();
  r.accepts_work = current(e, now).accepts_work;
  r.source = e.source == Source::kConfig       ? "config"
             : e.source == Source::kRegistered ? "registered"
                                               : "agent";
  r.heartbeat_age = e.heartbeats.age(now);
  if (e.scraped_at) r.scrape_age = now - *e.scraped_at;
  r.scrape_error = e.scrape_error;
  r.metrics = e.metrics;
  r.gpus = e.gpus;
  r.gpu_status = e.gpu_status;
  if (auto info = outliers_.info(e.spec.id)) r.outlier = *info;
  r.breaker = std::string(breaker_state_name(e.breaker.state(now)));
  r.pending = e.breaker.pending();
  r.slow_start = e.slow_start.multiplier(now);
  return r;
}

std::vector<NodeReport> NodeRegistry::report(core::Time now) const {
  std::vector<NodeReport> out;
  out.reserve(nodes_.size());
  for (const Entry& e : nodes_) {
    if (!e.state.removed()) out.push_back(report_of(e, now));
  }
  return out;
}

std::optional<NodeReport> NodeRegistry::report(std::string_view id, core::Time now) const {
  auto index = find(id);
  if (!index) return std::nullopt;
  return report_of(nodes_[*index], now);
}

}  // namespace autoglm::monitor
