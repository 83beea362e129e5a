#include "api/gateway.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <random>
#include <stdexcept>

#include "api/explain.hpp"
#include "api/hardening_routes.hpp"
#include "api/node_routes.hpp"
#include "api/static_files.hpp"
#include "api/upstream_limits.hpp"
#include "dispatch/continuation.hpp"
#include "http/errors.hpp"
#include "http/header_value.hpp"

namespace autoglm::api {

namespace asio = boost::asio;
namespace json = boost::json;
namespace bhttp = boost::beast::http;
using core::ErrorCode;
using core::Status;

namespace {

asio::awaitable<void> respond_error(http::Exchange& exchange, const Status& status,
                                    std::chrono::nanoseconds retry_after = {}) {
  http::Response response{static_cast<bhttp::status>(http::http_status_for(status.code())), 11};
  response.set(bhttp::field::content_type, "application/json");
  if (retry_after.count() > 0) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(retry_after).count();
    response.set(bhttp::field::retry_after, std::to_string(std::max<std::int64_t>(1, seconds)));
  }
  response.body() = http::openai_error_body(status);
  co_await exchange.respond(std::move(response));
}

}  // namespace

Gateway::Gateway(asio::io_context& io, const config::Config& config,
                 std::vector<core::NodeSpec> nodes, std::unique_ptr<sched::Scheduler> scheduler)
    : io_(io),
      context_path_(config.server.context_path),
      nodes_(std::move(nodes)),
      pool_(io, nodes_, config.upstream.connect_timeout,
            static_cast<std::size_t>(config.upstream.max_idle_per_node)),
      proxy_(nodes_, pool_, dispatch::ProxyOptions{config.upstream.failure_backoff}),
      driver_(io, std::move(scheduler), /*single_thread=*/config.server.threads == 1),
      monitor_(io, config, nodes_, driver_),
      metrics_(monitor_),
      retry_budget_(retry_budget_options(config.upstream)),
      upstream_(std::make_shared<const UpstreamPolicy>(upstream_policy(config.upstream))),
      default_policy_(config.scheduler.pipeline ? "custom" : config.scheduler.policy) {
  auto hardening = Hardening::create(config);  // serve checks it first: a start-up failure
  if (!hardening) throw std::invalid_argument(hardening.status().message());
  hardening_ = std::move(hardening).value();
  metrics_.watch_cache([this] { return hardening_->cache().stats(); });
  for (const auto& [model, choice] : config.scheduler.models) {
    model_policies_[model] = choice.pipeline ? "custom" : choice.preset;
  }
  add_routes();
  add_ui_routes(*this, config.ui);
}

void Gateway::add_routes() {
  // Handlers that need no path parameters.
  const auto plain = [this](auto member) -> RouteHandler {
    return [this, member](http::Exchange& exchange, const RequestContext&) {
      return (this->*member)(exchange);
    };
  };
  routes_.add("GET", "/healthz", [](http::Exchange& exchange, const RequestContext&) {
    return exchange.respond(200, R"({"status":"ok"})");
  });
  routes_.add("GET", "/readyz", plain(&Gateway::readyz));
  routes_.add("GET", "/v1/models", [this](http::Exchange& exchange, const RequestContext& c) {
    return models(exchange, c);
  });
  for (std::string route : {"/v1/chat/completions", "/v1/completions", "/v1/embeddings"}) {
    routes_.add("POST", route,
                [this, route](http::Exchange& exchange, const RequestContext& context) {
                  return completions(exchange, route, context);
                });
  }
  routes_.add("GET", "/admin/v1/scheduler", plain(&Gateway::admin_scheduler));
  routes_.add("GET", "/metrics", plain(&Gateway::prometheus_metrics));
  add_node_routes(*this, monitor_);
  add_hardening_routes(*this, *hardening_);
}

core::Status Gateway::reload(const config::Config& config) {
  if (auto s = hardening_->reload(config); !s) return s;
  upstream_.store(std::make_shared<const UpstreamPolicy>(upstream_policy(config.upstream)));
  retry_budget_.set_options(retry_budget_options(config.upstream));
  return core::Status::ok();
}

void Gateway::add_route(std::string method, std::string pattern, RouteHandler handler) {
  routes_.add(std::move(method), std::move(pattern), std::move(handler));
}

http::Handler Gateway::handler() {
  return [this](http::Exchange& exchange) { return handle(exchange); };
}

asio::awaitable<void> Gateway::handle(http::Exchange& exchange) {
  const auto started = std::chrono::steady_clock::now();
  std::string_view path = exchange.target_path();
  const auto method = exchange.request().method();

  if (!context_path_.empty()) {
    if (!path.starts_with(context_path_) ||
        (path.size() > context_path_.size() && path[context_path_.size()] != '/')) {
      co_await respond_error(exchange, core::not_found("no route for " + std::string(path) +
                                                       "; routes live under " + context_path_));
      co_return;
    }
    path.remove_prefix(context_path_.size());
  }

  RequestContext context;
  const std::string_view authorization = http::header_value(exchange.request(), "authorization");
  const std::string_view on_behalf_of = http::header_value(exchange.request(), kOnBehalfOfHeader);
  GuardVerdict verdict = hardening_->guard().check(authorization, path, context, on_behalf_of);
  // An unknown key may have just been made on another replica: read the store and retry.
  if (verdict.status.code() == core::ErrorCode::kUnauthenticated &&
      co_await hardening_->keys().refresh_on_miss(authorization)) {
    verdict = hardening_->guard().check(authorization, path, context, on_behalf_of);
  }
  for (const auto& [name, value] : verdict.headers) exchange.add_header(name, value);
  auto match = routes_.match(std::string_view(bhttp::to_string(method)), path);
  if (!verdict.status) {
    co_await respond_error(exchange, verdict.status);
  } else if (match.handler) {
    context.params = std::move(match.params);
    co_await (*match.handler)(exchange, context);
  } else if (!match.allowed.empty()) {
    std::string allowed;
    for (const auto& m : match.allowed) allowed += (allowed.empty() ? "" : ", ") + m;
    http::Response response{bhttp::status::method_not_allowed, 11};
    response.set(bhttp::field::content_type, "application/json");
    response.set(bhttp::field::allow, allowed);
    response.body() = http::openai_error_body(
        core::invalid_argument(std::string(bhttp::to_string(method)) + " is not allowed on " +
                               std::string(path) + "; allowed: " + allowed));
    co_await exchange.respond(std::move(response));
  } else {
    co_await respond_error(exchange, core::not_found("no route for " + std::string(path)));
  }

  if (spdlog::should_log(spdlog::level::info)) {  // its arguments cost an allocation
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    spdlog::info("request_id={} method={} path={} us={}{}", exchange.request_id(),
                 std::string(bhttp::to_string(method)), std::string(exchange.target_path()), micros,
                 exchange.client_gone() ? " client_gone=1" : "");
  }
}

asio::awaitable<void> Gateway::readyz(http::Exchange& exchange) {
  const auto now = std::chrono::steady_clock::now();
  std::size_t up = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) up += nodes_.is_up(i, now) ? 1 : 0;
  json::object body;
  body["ready"] = !draining_ && up > 0;
  body["nodes_up"] = up;
  body["nodes"] = nodes_.size();
  body["draining"] = draining_.load();
  co_await exchange.respond(!draining_ && up > 0 ? 200 : 503, json::serialize(body));
}

asio::awaitable<void> Gateway::models(http::Exchange& exchange, const RequestContext& context) {
  json::array data;
  for (const auto& model : nodes_.models()) {
    if (!hardening_->guard().allows_model(context, model)) continue;
    json::object entry;
    entry["id"] = model;
    entry["object"] = "model";
    entry["created"] = 0;
    entry["owned_by"] = "autoglm";
    data.push_back(std::move(entry));
  }
  json::object body;
  body["object"] = "list";
  body["data"] = std::move(data);
  co_await exchange.respond(200, json::serialize(body));
}

asio::awaitable<void> Gateway::admin_scheduler(http::Exchange& exchange) {
  auto snapshot = co_await driver_.snapshot();
  co_await exchange.respond(200, snapshot_json(snapshot));
}

asio::awaitable<void> Gateway::prometheus_metrics(http::Exchange& exchange) {
  auto snapshot = co_await driver_.snapshot();
  co_await exchange.respond(200, metrics_.render(snapshot), metrics::kContentType);
}

const std::string& Gateway::policy_label(const std::string& model) const {
  auto it = model_policies_.find(model);
  return it == model_policies_.end() ? default_policy_ : it->second;
}

asio::awaitable<Gateway::Tried> Gateway::try_node(http::Exchange& exchange, std::string_view route,
                                                  const core::TaskSpec& task,
                                                  const limits::Timeouts& timeouts, Labels labels,
                                                  bool may_retry,
                                                  const dispatch::Resumable* resumable) {
  const core::TaskId id = task.id;
  Tried tried;
  tried.outcome = co_await driver_.schedule(task);
  // The core may take the task back before its node answers (memory evacuation); then
  // it is placed again, usually elsewhere.
  while (tried.outcome.placed) {
    const std::size_t node = tried.outcome.placement.node;
    tried.admitted = monitor_.admit(node) == monitor::Admission::kAdmitted;
    if (!tried.admitted) {  // its breaker is open or its pending bound is reached
      tried.result = dispatch::ProxyResult{dispatch::ProxyOutcome::kRefused, 0};
      break;
    }
    dispatch::ExtraHeaders extra;
    if (labels.retries > 0) extra.emplace_back("x-autoglm-retries", std::to_string(labels.retries));
    if (labels.explain)
      extra.emplace_back("x-autoglm-decision", decision_header(tried.outcome.placement, nodes_));
    tried.result = co_await proxy_.forward(
        exchange, node, route, timeouts, extra, [this, id] { driver_.started(id); },
        tried.outcome.stop.get(), may_retry, resumable);
    if (tried.result.outcome != dispatch::ProxyOutcome::kStopped) break;
    monitor_.abandoned(node);
    tried.outcome = co_await driver_.replaced(id);
  }
  co_return tried;
}

void Gateway::settle(std::size_t node, bool admitted, const core::TaskSpec& task,
                     const dispatch::ProxyResult& result, bool client_latency) {
  switch (result.outcome) {
    case dispatch::ProxyOutcome::kClientGone:
    case dispatch::ProxyOutcome::kStopped:
      if (admitted) monitor_.abandoned(node);
      driver_.cancelled(task.id);
      return;
    case dispatch::ProxyOutcome::kRelayed:
    case dispatch::ProxyOutcome::kBrokenStream: {
      monitor_.finished(node, result.node);
      // A node whose stream broke gets no new work until its backoff ends or checks pass.
      if (result.outcome == dispatch::ProxyOutcome::kBrokenStream) monitor_.back_off(node);
      if (client_latency && result.status < 400) {
        metrics_.latency(task.model, result.first_byte, result.total, result.output_tokens);
      }
      sched::TaskResult done;
      done.ok = result.outcome == dispatch::ProxyOutcome::kRelayed && result.status < 500;
      done.ttft = result.first_byte;
      done.e2e = result.total;
      done.output_tokens = result.output_tokens;
      driver_.finished(task.id, done);
      return;
    }
    case dispatch::ProxyOutcome::kRefused:
    case dispatch::ProxyOutcome::kNodeUnreachable:
      if (admitted) {
        monitor_.finished(node, result.node);
        monitor_.back_off(node);
      }
      driver_.finished(task.id, sched::TaskResult{false});
      return;
  }
}

asio::awaitable<void> Gateway::completions(http::Exchange& exchange, std::string_view route,
                                           const RequestContext& context) {
  const auto& request = exchange.request();
  const auto kind = route == "/v1/chat/completions" ? core::TaskKind::kChat
                    : route == "/v1/embeddings"     ? core::TaskKind::kEmbedding
                                                    : core::TaskKind::kCompletion;
  parse::RequestMeta meta;
  meta.priority_header = http::header_value(request, "x-autoglm-priority");
  meta.deadline_header = http::header_value(request, "x-autoglm-deadline-ms");
  meta.tenant = context.tenant;
  if (context.default_priority >= 0) {
    meta.default_class = core::priority_class_for_level(context.default_priority);
  }
  auto parsed = parse::parse_openai(kind, request.body(), meta, parse_options_);
  if (!parsed) {
    co_await respond_error(exchange, parsed.status());
    co_return;
  }
  core::TaskSpec task = std::move(parsed).value();
  if (const auto prefer = http::header_value(request, "x-autoglm-prefer-node"); !prefer.empty()) {
    // An unknown id (a node since removed) is no hint at all.
    if (const auto index = nodes_.find(prefer))
      task.preferred_node = static_cast<std::uint32_t>(*index);
  }
  // Counted in autoglm_requests_total when the request ends, however it ends.
  struct Counted {
    GatewayMetrics& metrics;
    const std::string& model;
    const std::string& policy;
    std::string node;
    int status = 0;
    ~Counted() { metrics.request(model, node, status, policy); }
  } counted{metrics_, task.model, policy_label(task.model), {}, 0};
  // A model the tenant may not use looks exactly like one that is not served.
  if (!nodes_.serves(task.model) || !hardening_->guard().allows_model(context, task.model)) {
    co_await respond_error(
        exchange, core::not_found("the model '" + task.model +
                                      "' is not served here; GET /v1/models lists the models",
                                  "model"));
    co_return;
  }
  if (co_await hardening_->cache().serve(exchange, context.tenant, route)) {
    counted.node = "cache";
    counted.status = 200;
    co_return;
  }
  auto subset = hardening_->place_task(
      context, task,
      [&request](std::string_view name) { return http::header_value(request, name); }, nodes_);
  if (!subset) {
    counted.status = http::http_status_for(subset.status().code());
    co_await respond_error(exchange, subset.status(), std::chrono::seconds(1));
    co_return;
  }
  if (!subset->empty()) exchange.add_header("x-autoglm-route", *subset);
  // place_task charged the tenant's tokens-per-minute bucket the estimate (input + max
  // output); when the request ends, however it ends, what it really used replaces it.
  struct SettleTokens {
    Guard& guard;
    const std::string& tenant;
    std::int64_t estimated;
    std::int64_t actual = 0;  // nothing generated unless a node answered
    ~SettleTokens() { guard.settle_tokens(tenant, estimated, actual); }
  } tokens{hardening_->guard(), context.tenant, task.input_tokens + task.max_output_tokens};
  const bool explain = http::header_value(request, "x-autoglm-explain") == "1";
  const std::shared_ptr<const UpstreamPolicy> upstream = upstream_.load();
  auto timeouts =
      limits::apply_overrides(upstream->timeouts, route,
                              {http::header_value(request, "x-autoglm-timeout-ms"),
                               http::header_value(request, "x-autoglm-first-byte-timeout-ms"),
                               http::header_value(request, "x-autoglm-idle-timeout-ms")});
  if (!timeouts) {
    counted.status = 400;
    co_await respond_error(exchange, timeouts.status());
    co_return;
  }
  if (!timeouts->clamped.empty()) {
    std::string names;
    for (const auto& h : timeouts->clamped) names += (names.empty() ? "" : ", ") + h;
    exchange.add_header("x-autoglm-timeout-clamped", names);
  }

  // Mid-stream failover: a stream this route may resume is followed event by event.
  const int resumes = task.stream ? upstream->resumes_for(route) : 0;
  std::optional<dispatch::StreamSplice> splice;
  std::optional<dispatch::Resumable> resumable;
  if (resumes > 0) {
    const bool chat = kind == core::TaskKind::kChat;
    if (const auto why = dispatch::check_resumable(chat, request.body()); why) {
      splice.emplace(chat);
      resumable.emplace(dispatch::Resumable{*splice, {}});
    } else {
      spdlog::debug("request {}: its stream cannot resume: {}", exchange.request_id(),
                    why.message());
    }
  }

  const auto serving = retry_budget_.enter();
  std::optional<limits::RetryBudget::Guard> retrying;  // held while a retry runs
  std::optional<std::mt19937_64> jitter;               // drawn only when a retry waits
  const int attempts = 1 + upstream->max_retries;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0) {
      // Exponential backoff with full jitter: retries of many requests spread out instead
      // of arriving at the next node in step.
      if (!jitter) jitter.emplace(task.id * 0x9E3779B97F4A7C15ULL);
      asio::steady_timer pause(co_await asio::this_coro::executor);
      pause.expires_after(limits::backoff_delay(attempt, upstream->retry_backoff, *jitter));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (!nodes_.any_up(task.model, std::chrono::steady_clock::now())) break;
    task.id = next_task_id_.fetch_add(1, std::memory_order_relaxed);
    const bool last_attempt = attempt + 1 == attempts;
    const auto tried = co_await try_node(
        exchange, route, task, timeouts->timeouts, {.retries = attempt, .explain = explain},
        /*may_retry=*/!last_attempt, resumable ? &*resumable : nullptr);
    if (!tried.outcome.placed) {
      counted.status = http::http_status_for(tried.outcome.rejection.status.code());
      co_await respond_error(exchange, tried.outcome.rejection.status,
                             tried.outcome.rejection.retry_after);
      co_return;
    }
    const dispatch::ProxyResult& result = tried.result;
    const bool admitted = tried.admitted;
    const std::size_t node = tried.outcome.placement.node;
    counted.node = nodes_.at(node).spec.id;
    settle(node, admitted, task, result, /*client_latency=*/true);
    switch (result.outcome) {
      case dispatch::ProxyOutcome::kClientGone:
      case dispatch::ProxyOutcome::kStopped:
        if (result.outcome == dispatch::ProxyOutcome::kClientGone)
          tokens.actual = task.input_tokens + result.output_tokens;  // prefill happened
        counted.status = 499;
        co_return;
      case dispatch::ProxyOutcome::kRelayed:
      case dispatch::ProxyOutcome::kBrokenStream:
        tokens.actual = task.input_tokens + result.output_tokens;
        counted.status = result.outcome == dispatch::ProxyOutcome::kRelayed
                             ? static_cast<int>(result.status)
                             : 502;
        if (result.stream_open) {
          const Resumed resumed = co_await resume_stream(exchange, route, task, node,
                                                         timeouts->timeouts, *splice, resumes);
          tokens.actual += resumed.tokens;
          counted.status = resumed.status;
        }
        co_return;
      case dispatch::ProxyOutcome::kRefused:
      case dispatch::ProxyOutcome::kNodeUnreachable:
        spdlog::warn("request {}: node {} {}, {}", exchange.request_id(), nodes_.at(node).spec.id,
                     result.outcome == dispatch::ProxyOutcome::kRefused
                         ? (admitted ? "answered " + std::to_string(result.status)
                                     : std::string("refused by its circuit breaker"))
                         : std::string(monitor::outcome_name(result.node)),
                     last_attempt ? "giving up" : "trying another");
        if (!last_attempt) {
          // A retry goes to another node, and only while the retry budget allows: during
          // an outage retries must not multiply the load.
          retrying = retry_budget_.try_retry();
          if (!retrying ||
              !core::exclude_node(task, static_cast<std::uint32_t>(node), nodes_.size())) {
            counted.status = 503;
            co_await respond_error(
                exchange,
                core::unavailable(retrying ? "no other node may serve this request"
                                           : "too many requests are being retried; retry shortly"),
                std::chrono::seconds(1));
            co_return;
          }
          metrics_.retry();
        }
        if (last_attempt) {
          counted.status = 502;
          co_await respond_error(exchange,
                                 Status(ErrorCode::kUpstreamFailure,
                                        "the nodes chosen for this request could not serve it"));
          co_return;
        }
        break;
    }
  }
  counted.status = 503;
  co_await respond_error(
      exchange,
      core::unavailable("no healthy node serves '" + task.model + "' right now; retry shortly"),
      std::chrono::seconds(1));
}

}  // namespace autoglm::api
