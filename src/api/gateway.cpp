#include "api/gateway.hpp"

#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/explain.hpp"
#include "http/errors.hpp"

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

// How many nodes one request may try when nodes cannot be reached before it starts.
constexpr int kMaxAttempts = 2;

std::string_view header(const http::Request& request, std::string_view name) {
  auto value = request[name];
  return {value.data(), value.size()};
}

}  // namespace

Gateway::Gateway(asio::io_context& io, const config::Config& config,
                 std::vector<core::NodeSpec> nodes, std::unique_ptr<sched::Scheduler> scheduler)
    : io_(io),
      context_path_(config.server.context_path),
      failure_backoff_(config.upstream.failure_backoff),
      nodes_(std::move(nodes)),
      pool_(io, nodes_, config.upstream.connect_timeout,
            static_cast<std::size_t>(config.upstream.max_idle_per_node)),
      proxy_(nodes_, pool_,
             dispatch::ProxyOptions{config.upstream.response_timeout,
                                    config.upstream.failure_backoff}),
      driver_(io, std::move(scheduler)) {
  add_routes();
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
  routes_.add("GET", "/v1/models", plain(&Gateway::models));
  for (std::string route : {"/v1/chat/completions", "/v1/completions"}) {
    routes_.add("POST", route, [this, route](http::Exchange& exchange, const RequestContext&) {
      return completions(exchange, route);
    });
  }
  routes_.add("GET", "/admin/v1/scheduler", plain(&Gateway::admin_scheduler));
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

  auto match = routes_.match(std::string_view(bhttp::to_string(method)), path);
  if (match.handler) {
    RequestContext context;
    context.params = std::move(match.params);
    co_await (*match.handler)(exchange, context);
  } else if (!match.allowed.empty()) {
    std::string allowed;
    for (const auto& m : match.allowed) allowed += (allowed.empty() ? "" : ", ") + m;
    http::Response response{bhttp::status::method_not_allowed, 11};
    response.set(bhttp::field::content_type, "application/json");
    response.set(bhttp::field::allow, allowed);
    response.body() = http::openai_error_body(core::invalid_argument(
        std::string(bhttp::to_string(method)) + " is not allowed on " + std::string(path) +
        "; allowed: " + allowed));
    co_await exchange.respond(std::move(response));
  } else {
    co_await respond_error(exchange, core::not_found("no route for " + std::string(path)));
  }

  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  spdlog::info("request_id={} method={} path={} us={}{}", exchange.request_id(),
               std::string(bhttp::to_string(method)), std::string(exchange.target_path()), micros,
               exchange.client_gone() ? " client_gone=1" : "");
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

asio::awaitable<void> Gateway::models(http::Exchange& exchange) {
  json::array data;
  for (const auto& model : nodes_.models()) {
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

void Gateway::node_failed(std::size_t index) {
  nodes_.mark_failed(index, std::chrono::steady_clock::now(), failure_backoff_);
  const auto node = static_cast<core::NodeIndex>(index);
  driver_.set_healthy(node, false);
  asio::co_spawn(
      io_,
      [this, node]() -> asio::awaitable<void> {
        asio::steady_timer timer(io_, failure_backoff_);
        co_await timer.async_wait(asio::use_awaitable);
        driver_.set_healthy(node, true);
      },
      asio::detached);
}

asio::awaitable<void> Gateway::completions(http::Exchange& exchange, std::string_view route) {
  const auto& request = exchange.request();
  const auto kind =
      route == "/v1/chat/completions" ? core::TaskKind::kChat : core::TaskKind::kCompletion;
  parse::RequestMeta meta;
  meta.priority_header = header(request, "x-autoglm-priority");
  meta.deadline_header = header(request, "x-autoglm-deadline-ms");
  auto parsed = parse::parse_openai(kind, request.body(), meta, parse_options_);
  if (!parsed) {
    co_await respond_error(exchange, parsed.status());
    co_return;
  }
  core::TaskSpec task = std::move(parsed).value();
  if (!nodes_.serves(task.model)) {
    co_await respond_error(
        exchange, core::not_found("the model '" + task.model +
                                      "' is not served here; GET /v1/models lists the models",
                                  "model"));
    co_return;
  }
  const bool explain = header(request, "x-autoglm-explain") == "1";

  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (!nodes_.any_up(task.model, std::chrono::steady_clock::now())) break;
    task.id = next_task_id_.fetch_add(1, std::memory_order_relaxed);
    const core::TaskId id = task.id;
    auto outcome = co_await driver_.schedule(task);
    dispatch::ProxyResult result;
    // The core may take the task back before its node answers (memory evacuation); then
    // it is placed again, usually elsewhere.
    for (;;) {
      if (!outcome.placed) {
        co_await respond_error(exchange, outcome.rejection.status, outcome.rejection.retry_after);
        co_return;
      }
      dispatch::ExtraHeaders extra;
      if (explain) {
        extra.emplace_back("x-autoglm-decision", decision_header(outcome.placement, nodes_));
      }
      result = co_await proxy_.forward(exchange, outcome.placement.node, route, extra,
                                       [this, id] { driver_.started(id); }, outcome.stop.get());
      if (result.outcome != dispatch::ProxyOutcome::kStopped) break;
      outcome = co_await driver_.replaced(id);
    }
    const auto& placement = outcome.placement;
    switch (result.outcome) {
      case dispatch::ProxyOutcome::kClientGone:
      case dispatch::ProxyOutcome::kStopped:
        driver_.cancelled(id);
        co_return;
      case dispatch::ProxyOutcome::kRelayed:
      case dispatch::ProxyOutcome::kBrokenStream: {
        sched::TaskResult done;
        done.ok = result.outcome == dispatch::ProxyOutcome::kRelayed && result.status < 500;
        done.ttft = result.first_byte;
        done.e2e = result.total;
        done.output_tokens = result.output_tokens;
        driver_.finished(id, done);
        co_return;
      }
      case dispatch::ProxyOutcome::kNodeUnreachable:
        driver_.finished(id, sched::TaskResult{false});
        node_failed(placement.node);
        spdlog::warn("request {}: node {} unreachable, {}", exchange.request_id(),
                     nodes_.at(placement.node).spec.id,
                     attempt + 1 < kMaxAttempts ? "trying another" : "giving up");
        if (attempt + 1 == kMaxAttempts) {
          co_await respond_error(exchange,
                                 Status(ErrorCode::kUpstreamFailure,
                                        "the nodes chosen for this request could not be reached"));
          co_return;
        }
        break;
    }
  }
  co_await respond_error(exchange,
                         core::unavailable("no healthy node serves '" + task.model +
                                           "' right now; retry shortly"),
                         std::chrono::seconds(1));
}

}  // namespace autoglm::api
