#include "api/gateway.hpp"

#include <chrono>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "http/errors.hpp"
#include "api/openai_request.hpp"

namespace autoglm::api {

namespace json = boost::json;
namespace bhttp = boost::beast::http;
using core::ErrorCode;
using core::Status;

namespace {

boost::asio::awaitable<void> respond_error(http::Exchange& exchange, const Status& status) {
  co_await exchange.respond(static_cast<unsigned>(http::http_status_for(status.code())),
                            http::openai_error_body(status));
}

// How many nodes one request may try when nodes cannot be reached before it starts.
constexpr int kMaxAttempts = 2;

}  // namespace

Gateway::Gateway(boost::asio::io_context& io, const config::Config& config,
                 std::vector<core::NodeSpec> nodes)
    : context_path_(config.server.context_path),
      nodes_(std::move(nodes)),
      pool_(io, nodes_, config.upstream.connect_timeout,
            static_cast<std::size_t>(config.upstream.max_idle_per_node)),
      proxy_(nodes_, pool_,
             dispatch::ProxyOptions{config.upstream.response_timeout,
                                    config.upstream.failure_backoff}) {}

http::Handler Gateway::handler() {
  return [this](http::Exchange& exchange) { return handle(exchange); };
}

boost::asio::awaitable<void> Gateway::handle(http::Exchange& exchange) {
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

  auto only = [&](bhttp::verb verb) { return method == verb; };
  if (path == "/healthz" && only(bhttp::verb::get)) {
    co_await exchange.respond(200, R"({"status":"ok"})");
  } else if (path == "/readyz" && only(bhttp::verb::get)) {
    co_await readyz(exchange);
  } else if (path == "/v1/models" && only(bhttp::verb::get)) {
    co_await models(exchange);
  } else if ((path == "/v1/chat/completions" || path == "/v1/completions") &&
             only(bhttp::verb::post)) {
    co_await completions(exchange, path);
  } else if (path == "/healthz" || path == "/readyz" || path == "/v1/models" ||
             path == "/v1/chat/completions" || path == "/v1/completions") {
    co_await exchange.respond(
        405, http::openai_error_body(core::invalid_argument(
                 std::string(bhttp::to_string(method)) + " is not allowed on " + std::string(path))));
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

boost::asio::awaitable<void> Gateway::readyz(http::Exchange& exchange) {
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

boost::asio::awaitable<void> Gateway::models(http::Exchange& exchange) {
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

boost::asio::awaitable<void> Gateway::completions(http::Exchange& exchange,
                                                  std::string_view route) {
  const Endpoint endpoint =
      route == "/v1/chat/completions" ? Endpoint::kChatCompletions : Endpoint::kCompletions;
  auto parsed = parse_openai_request(exchange.request().body(), endpoint);
  if (!parsed) {
    co_await respond_error(exchange, parsed.status());
    co_return;
  }
  if (!nodes_.serves(parsed->model)) {
    co_await respond_error(
        exchange, core::not_found("the model '" + parsed->model +
                                      "' is not served here; GET /v1/models lists the models",
                                  "model"));
    co_return;
  }

  std::vector<std::size_t> tried;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto node = nodes_.pick(parsed->model, std::chrono::steady_clock::now(), tried);
    if (!node) break;
    tried.push_back(*node);
    auto& state = nodes_.at(*node);
    state.requests.fetch_add(1, std::memory_order_relaxed);
    state.in_flight.fetch_add(1, std::memory_order_relaxed);
    auto result = co_await proxy_.forward(exchange, *node, route);
    state.in_flight.fetch_sub(1, std::memory_order_relaxed);
    if (result.outcome != dispatch::ProxyOutcome::kNodeUnreachable) co_return;
    spdlog::warn("request {}: node {} unreachable, {}", exchange.request_id(), state.spec.id,
                 attempt + 1 < kMaxAttempts ? "trying another" : "giving up");
  }
  if (tried.empty()) {
    co_await respond_error(
        exchange, core::unavailable("no healthy node serves '" + parsed->model +
                                    "' right now; retry shortly"));
  } else {
    co_await respond_error(exchange,
                           Status(ErrorCode::kUpstreamFailure,
                                  "the node chosen for this request could not be reached"));
  }
}

}  // namespace autoglm::api
