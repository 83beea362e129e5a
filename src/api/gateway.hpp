// The gateway's HTTP front end: OpenAI-compatible routes under the context path, health,
// readiness and admin routes. Each completion is parsed into a TaskSpec, placed by the
// scheduler core (through SchedulerDriver) and forwarded to its node through dispatch/.
// Shared by all I/O threads; its mutable state is thread-safe (NodeSet, pool, driver).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/gateway_metrics.hpp"
#include "api/hardening.hpp"
#include "api/node_monitor.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/upstream_limits.hpp"
#include "config/config.hpp"
#include "core/node.hpp"
#include "dispatch/node_set.hpp"
#include "dispatch/proxy.hpp"
#include "dispatch/scheduler_driver.hpp"
#include "dispatch/stream_splice.hpp"
#include "dispatch/upstream_pool.hpp"
#include "http/server.hpp"
#include "limits/backoff.hpp"
#include "limits/retry_budget.hpp"
#include "limits/timeouts.hpp"
#include "parse/task_parser.hpp"

namespace autoglm::api {

class Gateway {
 public:
  // `nodes` are the configured nodes plus any embedded simulated ones, in the order the
  // scheduler's node table was built from.
  Gateway(boost::asio::io_context& io, const config::Config& config,
          std::vector<core::NodeSpec> nodes, std::unique_ptr<sched::Scheduler> scheduler);

  void start() {
    driver_.start();
    monitor_.start();
  }
  void stop() {
    monitor_.stop();
    driver_.stop();
  }
  http::Handler handler();

  // A route handler; `context` carries path parameters and the caller's tenant.
  using RouteHandler =
      std::function<boost::asio::awaitable<void>(http::Exchange&, const RequestContext& context)>;
  // Adds a route under the context path (e.g. "/v1/tasks/{id}"). Only before the server
  // starts: the table is read-only once requests arrive.
  void add_route(std::string method, std::string pattern, RouteHandler handler);
  // From now on /readyz answers 503 so load balancers stop sending work.
  void begin_drain() { draining_ = true; }
  // SIGHUP: applies auth, tenants, limits, cache, routes and the upstream retries and
  // timeouts from `config`, or nothing (the old settings stay) when they are invalid;
  // returns why.
  core::Status reload(const config::Config& config);
  // Headers for a call the gateway makes to itself on behalf of `tenant` (the workflow
  // engine's loopback executor); needed once auth.enabled is true.
  HeaderList loopback_headers(std::string_view tenant) const {
    return hardening_->guard().loopback_headers(tenant);
  }
  // Keeps run-time API keys in `store` from now on (KeyService::use_store): called once,
  // before the server starts, by the workflow service that opened the store.
  void use_key_store(store::Store& store, boost::asio::thread_pool& workers,
                     const core::Clock& wall) {
    hardening_->keys().use_store(store, workers, io_, wall);
  }
  const dispatch::NodeSet& nodes() const { return nodes_; }
  // Registers and deregisters nodes at run time (the admin routes, etcd membership).
  NodeMonitor& monitor() { return monitor_; }
  // What the dashboard (dashboard.hpp) reads: the monitor's node reports, the request
  // metrics and the scheduler core's snapshot (taken on its strand).
  const NodeMonitor& monitor() const { return monitor_; }
  const GatewayMetrics& metrics() const { return metrics_; }
  // For what the gateway's own parts record beside requests (the workflow engine's batches).
  GatewayMetrics& metrics() { return metrics_; }
  boost::asio::awaitable<sched::Snapshot> scheduler_snapshot() { return driver_.snapshot(); }
  bool draining() const { return draining_; }
  const std::string& context_path() const { return context_path_; }

 private:
  void add_routes();
  boost::asio::awaitable<void> handle(http::Exchange& exchange);
  boost::asio::awaitable<void> completions(http::Exchange& exchange, std::string_view route,
                                           const RequestContext& context);
  // One try of `task` (its id fresh) on one node: the core places it, the node's monitor
  // admits it, the proxy forwards it; a task the core takes back before its answer
  // begins is placed again.
  struct Tried {
    dispatch::ScheduleOutcome outcome;  // !outcome.placed: rejected, nothing was sent
    dispatch::ProxyResult result;
    bool admitted = false;
  };
  struct Labels {          // response headers of the try
    int retries = 0;       // x-autoglm-retries
    bool explain = false;  // x-autoglm-decision
  };
  boost::asio::awaitable<Tried> try_node(http::Exchange& exchange, std::string_view route,
                                         const core::TaskSpec& task,
                                         const limits::Timeouts& timeouts, Labels labels,
                                         bool may_retry, const dispatch::Resumable* resumable);
  // What a try on `node` tells the monitor (health, breaker), the scheduler core
  // (feedback) and, when `client_latency`, the latency metrics.
  void settle(std::size_t node, bool admitted, const core::TaskSpec& task,
              const dispatch::ProxyResult& result, bool client_latency);
  // Mid-stream failover (stream_resume.cpp): `task`'s stream broke on node `failed` with
  // the client's stream still open; it continues on other nodes, at most `allowed` times,
  // and the client's stream is ended either way.
  struct Resumed {
    int status = 502;         // for autoglm_requests_total: 200 whole, 499 client gone
    std::int64_t tokens = 0;  // the continuations' input and output tokens
  };
  boost::asio::awaitable<Resumed> resume_stream(http::Exchange& exchange, std::string_view route,
                                                core::TaskSpec task, std::size_t failed,
                                                const limits::Timeouts& timeouts,
                                                dispatch::StreamSplice& splice, int allowed);
  boost::asio::awaitable<void> models(http::Exchange& exchange, const RequestContext& context);
  boost::asio::awaitable<void> readyz(http::Exchange& exchange);
  boost::asio::awaitable<void> admin_scheduler(http::Exchange& exchange);
  boost::asio::awaitable<void> prometheus_metrics(http::Exchange& exchange);
  const std::string& policy_label(const std::string& model) const;

  boost::asio::io_context& io_;
  Router<RouteHandler> routes_;
  std::string context_path_;
  parse::ParseOptions parse_options_;
  dispatch::NodeSet nodes_;
  dispatch::UpstreamPool pool_;
  dispatch::Proxy proxy_;
  dispatch::SchedulerDriver driver_;
  NodeMonitor monitor_;
  GatewayMetrics metrics_;
  limits::RetryBudget retry_budget_;  // retries may add at most a share of the load
  // Retries, backoff and timeouts (per route, overridable per request); a request keeps
  // the policy it started with when SIGHUP swaps it.
  std::atomic<std::shared_ptr<const UpstreamPolicy>> upstream_;
  std::string default_policy_;  // metric label of the policy for models without their own
  std::map<std::string, std::string> model_policies_;
  std::unique_ptr<Hardening> hardening_;  // keys, tenants, limits, cache, routes
  std::atomic<std::uint64_t> next_task_id_{1};
  std::atomic<bool> draining_{false};
};

}  // namespace autoglm::api
