#include "agent/agent.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "agent/backend_probe.hpp"
#include "agent/backoff.hpp"
#include "agent/host_sampler.hpp"
#include "agent/nvml.hpp"
#include "cluster/membership.hpp"
#include "cluster/presence.hpp"
#include "core/version.hpp"
#include "http/client.hpp"

namespace autoglm::agent {

namespace asio = boost::asio;

namespace {

core::Time steady_now() { return core::SteadyClock().now(); }

bool retryable(unsigned status) { return status >= 500 || status == 429 || status == 408; }

// A POST to the scheduler with the agent's timeout and, when given, its API key.
http::ClientRequest scheduler_post(const AgentOptions& options, const std::string& path,
                                   std::string body) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = http::join_url(options.scheduler_url, path);
  request.body = std::move(body);
  request.timeout = options.request_timeout;
  if (!options.api_key.empty()) {
    request.headers.emplace_back("authorization", "Bearer " + options.api_key);
  }
  return request;
}

}  // namespace

// Everything the loop owns; touched only by the loop's coroutine.
struct Agent::State {
  explicit State(const AgentOptions& o)
      : host(o.proc_root, o.net_capacity_bytes_per_s),
        gpu(o.nvml_library),
        backoff(o.backoff_base, o.backoff_max, o.seed != 0 ? o.seed : std::random_device{}()),
        timer(nullptr) {}
  HostSampler host;
  GpuReader gpu;
  Backoff backoff;
  std::vector<std::string> models;
  std::uint64_t seq = 0;
  bool registered = false;
  asio::steady_timer* timer;  // the wait in progress, for stop()
};

Agent::Agent(asio::io_context& io, AgentOptions options)
    : io_(io), options_(std::move(options)), state_(std::make_unique<State>(options_)) {
  if (options_.advertise_url.empty()) options_.advertise_url = options_.backend_url;
  if (!options_.etcd_endpoints.empty()) {
    cluster::PresenceOptions presence;
    presence.etcd.endpoints = options_.etcd_endpoints;
    presence.etcd.request_timeout = options_.request_timeout;
    presence.key = cluster::nodes_prefix(options_.etcd_prefix) + options_.node_id;
    presence.lease_ttl = options_.lease_ttl;
    presence_ = std::make_unique<cluster::Presence>(io_.get_executor(), std::move(presence));
  }
  state_->host.sample(steady_now());  // the baseline for the first CPU and network deltas
  stats_.gpu_status = state_->gpu.status();
}

Agent::~Agent() = default;

void Agent::start() {
  if (presence_) presence_->start();
  asio::co_spawn(io_, options_.scheduler_url.empty() ? run_etcd_only() : run(), asio::detached);
}

void Agent::stop() {
  stopped_ = true;
  asio::post(io_, [this] {
    if (state_->timer) state_->timer->cancel();
  });
}

AgentStats Agent::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

void Agent::record_failure(const std::string& why) {
  std::lock_guard lock(stats_mu_);
  ++stats_.failures;
  stats_.last_error = why;
}

std::chrono::milliseconds Agent::next_backoff() {
  auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(state_->backoff.next());
  std::lock_guard lock(stats_mu_);
  stats_.backoffs.push_back(delay);
  if (stats_.backoffs.size() > 64) stats_.backoffs.erase(stats_.backoffs.begin());
  return delay;
}

asio::awaitable<void> Agent::wait(std::chrono::milliseconds delay) {
  if (stopped_) co_return;
  asio::steady_timer timer(io_, delay);
  state_->timer = &timer;
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  state_->timer = nullptr;
}

asio::awaitable<monitor::Heartbeat> Agent::collect() {
  monitor::Heartbeat h;
  h.node_id = options_.node_id;
  h.interval_ms = options_.interval.count();
  h.host = state_->host.sample(steady_now());
  GpuReading gpu = state_->gpu.read();
  h.gpu_status = gpu.status;
  h.gpus = std::move(gpu.gpus);
  BackendReading backend =
      co_await read_backend_metrics(options_.backend_url, options_.request_timeout);
  h.backend = backend.metrics;
  h.backend_error = backend.error;
  auto models = co_await list_backend_models(options_.backend_url, options_.request_timeout);
  if (models) state_->models = *models;
  h.models = state_->models;
  co_return h;
}

asio::awaitable<monitor::NodeRegistration> Agent::registration() {
  auto models = co_await list_backend_models(options_.backend_url, options_.request_timeout);
  if (models)
    state_->models = *models;
  else
    spdlog::warn("agent: cannot list the backend's models yet: {}", models.status().message());
  monitor::NodeRegistration r;
  r.node.id = options_.node_id;
  r.node.url = options_.advertise_url;
  r.node.models = state_->models;
  r.node.labels = options_.labels;
  r.node.capacity = options_.capacity;
  r.heartbeat_interval_ms = options_.interval.count();
  r.agent_version = core::kVersion;
  if (presence_) presence_->set_value(monitor::to_json(r));
  co_return r;
}

asio::awaitable<bool> Agent::register_node() {
  monitor::NodeRegistration r = co_await registration();
  http::ClientRequest request = scheduler_post(options_, "/admin/v1/nodes", monitor::to_json(r));
  auto response = co_await http::fetch(std::move(request));
  if (!response || response->status >= 300) {
    std::string why = response ? "registration answered " + std::to_string(response->status) +
                                     ": " + response->body
                               : response.status().message();
    record_failure(why);
    spdlog::warn("agent: cannot register {} with {}: {}", options_.node_id, options_.scheduler_url,
                 why);
    co_return false;
  }
  state_->registered = true;
  {
    std::lock_guard lock(stats_mu_);
    ++stats_.registrations;
  }
  spdlog::info("agent: registered {} ({} models) with {}", options_.node_id, state_->models.size(),
               options_.scheduler_url);
  co_return true;
}

asio::awaitable<void> Agent::run_etcd_only() {
  spdlog::info("agent: announcing {} through etcd {} under {}", options_.node_id,
               options_.etcd_endpoints.front(), cluster::nodes_prefix(options_.etcd_prefix));
  while (!stopped_) {
    co_await registration();  // a changed model list is written at once
    co_await wait(options_.interval);
  }
  co_await presence_->leave();
}

asio::awaitable<void> Agent::run() {
  while (!stopped_) {
    if (!state_->registered) {
      if (!co_await register_node()) {
        co_await wait(next_backoff());
        continue;
      }
      state_->backoff.reset();
    }
    monitor::Heartbeat h = co_await collect();
    h.seq = ++state_->seq;
    http::ClientRequest request = scheduler_post(
        options_, "/admin/v1/nodes/" + options_.node_id + "/heartbeat", monitor::to_json(h));
    auto response = co_await http::fetch(std::move(request));
    if (response && response->status == 404) {
      spdlog::info("agent: the scheduler does not know {} (restarted?): registering again",
                   options_.node_id);
      state_->registered = false;
      std::lock_guard lock(stats_mu_);
      ++stats_.reregistrations;
      continue;
    }
    if (!response || retryable(response->status)) {
      record_failure(response ? "heartbeat answered " + std::to_string(response->status)
                              : response.status().message());
      co_await wait(next_backoff());
      continue;
    }
    if (response->status >= 300) {
      record_failure("heartbeat rejected with " + std::to_string(response->status) + ": " +
                     response->body);
    } else {
      std::lock_guard lock(stats_mu_);
      ++stats_.heartbeats;
    }
    state_->backoff.reset();
    co_await wait(options_.interval);
  }
  if (presence_) co_await presence_->leave();  // the node leaves etcd at once, not at expiry
}

}  // namespace autoglm::agent
