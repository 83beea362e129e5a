#include "api/loopback_executor.hpp"

#include <algorithm>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <optional>

#include "http/client.hpp"
#include "workflow/step_kinds.hpp"

namespace autoglm::api {

namespace asio = boost::asio;
namespace json = boost::json;
using workflow::ExecutionResult;

struct LoopbackExecutor::Call {
  explicit Call(asio::io_context& io) : strand(asio::make_strand(io)) {}
  asio::strand<asio::io_context::executor_type> strand;
  // Below: touched only on `strand`.
  asio::cancellation_signal signal;
  bool cancelled = false;
  std::optional<core::Result<http::ClientResponse>> response;
  std::function<void(ExecutionResult)> done;
};

namespace {

// The error message of an OpenAI error body, or the body's start.
std::string error_message(unsigned status, const std::string& body) {
  std::string message = "the gateway answered " + std::to_string(status);
  boost::system::error_code ec;
  const json::value doc = json::parse(body, ec);
  if (!ec && doc.is_object()) {
    if (const auto* e = doc.as_object().if_contains("error"); e && e->is_object()) {
      if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) {
        return message + ": " + std::string(m->get_string());
      }
    }
  }
  return body.empty() ? message : message + ": " + body.substr(0, 200);
}

std::string header_value(const http::ClientResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

// 429 and 503 mean the scheduler turned the task away before it started (queue full,
// shed, no healthy node): no attempt was made, so the call waits and asks again instead
// of spending one of the task's retries. The lease is renewed meanwhile; the task's
// timeout and cancel still end it.
bool gateway_busy(unsigned status) { return status == 429 || status == 503; }

std::chrono::milliseconds busy_wait(const http::ClientResponse& r) {
  int seconds = 1;
  for (const auto& [k, v] : r.headers) {
    if (k == "retry-after") seconds = std::atoi(v.c_str());
  }
  return std::chrono::seconds(std::clamp(seconds, 1, 5));
}

}  // namespace

core::Result<LoopbackCall> loopback_request(const workflow::ClaimedTask& claimed, core::Time now) {
  const store::TaskRecord& task = claimed.task;
  auto kind = workflow::step_kind_or_error(task.input.kind, "kind");
  if (!kind) return kind.status();
  // A pipeline step becomes the chat request it runs as (step_kinds.hpp).
  auto request = workflow::step_request_body(**kind, task.input.payload);
  if (!request) return request.status();
  json::value doc = json::parse(*request);
  json::object& body = doc.as_object();
  const json::value* model = body.if_contains("model");
  if ((model == nullptr || !model->is_string() || model->get_string().empty()) &&
      !task.input.model.empty()) {
    body["model"] = task.input.model;
  }
  // The engine stores one JSON answer per task, so the call is never streamed.
  body["stream"] = false;
  body.erase("stream_options");

  LoopbackCall call;
  call.path = std::string((*kind)->route);
  call.body = json::serialize(doc);
  call.headers.emplace_back("x-autoglm-priority", std::to_string(task.input.priority));
  call.headers.emplace_back(
      "x-request-id", "task-" + std::to_string(task.id) + "-" + std::to_string(task.attempts));
  // A DAG node whose prompt holds an upstream output prefers the node that produced it;
  // a vision batch's tasks prefer the node the batch was sized for.
  if (!claimed.preferred_node.empty()) {
    call.headers.emplace_back("x-autoglm-prefer-node", claimed.preferred_node);
  }
  if (task.input.deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*task.input.deadline - now);
    call.headers.emplace_back("x-autoglm-deadline-ms",
                              std::to_string(std::max<std::int64_t>(1, left.count())));
  }
  return call;
}

ExecutionResult loopback_result(unsigned status, std::string body, std::string node) {
  if (status >= 200 && status < 300) return {true, std::move(body), "", true, std::move(node)};
  const bool retryable = status == 408 || status == 409 || status == 429 || status >= 500;
  return {false, "", error_message(status, body), retryable, std::move(node)};
}

LoopbackExecutor::LoopbackExecutor(asio::io_context& io, const core::Clock& wall_clock,
                                   LoopbackOptions options)
    : io_(io), clock_(wall_clock), options_(std::move(options)) {}

LoopbackExecutor::~LoopbackExecutor() = default;

void LoopbackExecutor::execute(const workflow::ClaimedTask& task,
                               std::function<void(ExecutionResult)> done) {
  auto spec = loopback_request(task, clock_.now());
  if (!spec) {
    done({false, "", spec.status().message(), false, ""});
    return;
  }
  const store::TaskId id = task.task.id;
  auto call = std::make_shared<Call>(io_);
  call->done = std::move(done);
  {
    std::lock_guard lock(mu_);
    calls_[id] = call;
  }
  http::ClientRequest request;
  request.method = "POST";
  request.url = http::join_url(base_url_, spec->path);
  request.body = std::move(spec->body);
  request.headers = std::move(spec->headers);
  if (tenant_headers_) {
    for (auto& h : tenant_headers_(task.task.input.tenant)) request.headers.push_back(std::move(h));
  }
  request.timeout = options_.timeout;
  asio::co_spawn(
      call->strand,
      [call, request = std::move(request)]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        for (;;) {
          http::ClientRequest req = request;
          auto response = co_await http::fetch(std::move(req));
          if (!response || !gateway_busy(response->status)) {
            call->response.emplace(std::move(response));
            co_return;
          }
          timer.expires_after(busy_wait(*response));
          co_await timer.async_wait(asio::use_awaitable);
        }
      },
      asio::bind_cancellation_slot(call->signal.slot(),
                                   [this, id, call](std::exception_ptr) { finish(id, call); }));
}

void LoopbackExecutor::finish(store::TaskId id, const std::shared_ptr<Call>& call) {
  {
    std::lock_guard lock(mu_);
    if (auto it = calls_.find(id); it != calls_.end() && it->second == call) calls_.erase(it);
  }
  ExecutionResult result;
  if (call->cancelled) {
    result = {false, "", "cancelled", true, ""};
  } else if (!call->response) {
    result = {false, "", "the loopback call to the gateway failed", true, ""};
  } else if (!*call->response) {
    const core::Status& s = call->response->status();
    result = {false, "", s.message(), s.code() != core::ErrorCode::kInvalidArgument, ""};
  } else {
    http::ClientResponse& r = call->response->value();
    std::string node = header_value(r, "x-autoglm-node");
    result = loopback_result(r.status, std::move(r.body), std::move(node));
  }
  options_.post_blocking(
      [done = std::move(call->done), result = std::move(result)] { done(result); });
}

void LoopbackExecutor::cancel(store::TaskId id) {
  std::shared_ptr<Call> call;
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    call = it->second;
  }
  asio::post(call->strand, [call] {
    call->cancelled = true;
    call->signal.emit(asio::cancellation_type::terminal);
  });
}

std::size_t LoopbackExecutor::in_flight() const {
  std::lock_guard lock(mu_);
  return calls_.size();
}

}  // namespace autoglm::api
