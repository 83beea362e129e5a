// /v1/tasks: submit, read, list and cancel durable async tasks, and follow one task's
// state changes as server-sent events.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "api/gateway.hpp"
#include "api/workflow_http.hpp"
#include "api/workflow_json.hpp"
#include "api/workflow_routes.hpp"
#include "api/workflow_service.hpp"

namespace autoglm::api {

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace bhttp = boost::beast::http;
using namespace workflow_http;

constexpr auto kEventPoll = std::chrono::milliseconds(200);
constexpr auto kKeepAlive = std::chrono::seconds(15);

// The caller's task `id_text`, or 404 for a missing id and for another tenant's task.
core::Result<store::TaskRecord> tenant_task(WorkflowService& svc, const std::string& id_text,
                                            const std::string& tenant) {
  const auto id = parse_record_id(id_text);
  if (!id) return not_found("task", id_text);
  auto task = svc.engine().get_task(*id);
  if (!task && task.status().code() == core::ErrorCode::kNotFound) {
    return not_found("task", id_text);
  }
  if (task && task->input.tenant != tenant) return not_found("task", id_text);
  return task;
}

asio::awaitable<void> submit(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  const workflow::SubmitContext submit_ctx{ctx.tenant, header(ex, "idempotency-key")};
  const std::string& body = ex.request().body();
  auto sub = co_await on_workers(svc.workers(),
                                 [&] { return svc.engine().submit_task(body, submit_ctx); });
  if (!sub) co_return co_await respond_error(ex, sub.status());
  svc.wake();
  json::object out;
  out["id"] = std::to_string(sub->record.id);
  out["state"] = std::string(store::task_state_name(sub->record.state));
  // 201 only for a task this call committed; a repeated Idempotency-Key gets the first.
  co_await respond_json(ex, sub->created ? 201 : 200, out);
}

asio::awaitable<void> get(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  const std::string id = ctx.params.at("id");
  auto task = co_await on_workers(svc.workers(), [&] { return tenant_task(svc, id, ctx.tenant); });
  if (!task) co_return co_await respond_error(ex, task.status());
  co_await respond_json(ex, 200, task_json(*task));
}

asio::awaitable<void> list(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  auto query = workflow_http::list_query(
      ex, ctx.tenant, "pending, queued, running, succeeded, failed, skipped or cancelled");
  if (!query) co_return co_await respond_error(ex, query.status());
  auto page = co_await on_workers(svc.workers(), [&] { return svc.engine().list_tasks(*query); });
  if (!page) co_return co_await respond_error(ex, page.status());
  json::array data;
  for (const auto& t : page->tasks) data.push_back(task_json(t));
  json::object out;
  out["object"] = "list";
  out["data"] = std::move(data);
  out["next_cursor"] = page->next_cursor;
  co_await respond_json(ex, 200, out);
}

asio::awaitable<void> cancel(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  const std::string id = ctx.params.at("id");
  auto task = co_await on_workers(svc.workers(), [&]() -> core::Result<store::TaskRecord> {
    auto owned = tenant_task(svc, id, ctx.tenant);
    if (!owned) return owned;
    return svc.engine().cancel_task(owned->id);
  });
  if (!task) co_return co_await respond_error(ex, task.status());
  svc.wake();
  co_await respond_json(ex, 200, task_json(*task));
}

std::string sse_event(const store::TaskEvent& e) {
  return "id: " + std::to_string(e.seq) +
         "\nevent: " + std::string(store::task_state_name(e.state)) +
         "\ndata: " + json::serialize(task_event_json(e)) + "\n\n";
}

// Server-sent events of the task's state changes, from the start or after Last-Event-ID,
// until the task reaches a final state (or the client leaves).
asio::awaitable<void> events(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  const std::string id = ctx.params.at("id");
  auto task = co_await on_workers(svc.workers(), [&] { return tenant_task(svc, id, ctx.tenant); });
  if (!task) co_return co_await respond_error(ex, task.status());
  std::int64_t after = parse_record_id(header(ex, "last-event-id")).value_or(0);
  bhttp::response<bhttp::empty_body> head{bhttp::status::ok, 11};
  head.set(bhttp::field::content_type, "text/event-stream");
  head.set(bhttp::field::cache_control, "no-cache");
  if (!co_await ex.begin_stream(std::move(head))) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto quiet_since = std::chrono::steady_clock::now();
  for (;;) {
    const store::TaskId task_id = task->id;
    auto batch = co_await on_workers(
        svc.workers(), [&] { return svc.engine().events_since(after, 100, task_id); });
    if (!batch) break;  // the store is unavailable: end the stream, the client resumes
    bool final_state = false;
    for (const auto& e : *batch) {
      after = e.seq;
      final_state = final_state || store::is_terminal(e.state);
      if (!co_await ex.write_chunk(sse_event(e))) co_return;
    }
    if (final_state) break;
    if (!batch->empty()) quiet_since = std::chrono::steady_clock::now();
    if (batch->size() == 100) continue;
    if (std::chrono::steady_clock::now() - quiet_since > kKeepAlive) {
      if (!co_await ex.write_chunk(": keep-alive\n\n")) co_return;
      quiet_since = std::chrono::steady_clock::now();
    }
    timer.expires_after(kEventPoll);
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_await ex.end_stream();
}

}  // namespace

void add_task_routes(Gateway& gateway, WorkflowService& svc) {
  using workflow_http::bind_route;
  gateway.add_route("POST", "/v1/tasks", bind_route(svc, submit));
  gateway.add_route("GET", "/v1/tasks", bind_route(svc, list));
  gateway.add_route("GET", "/v1/tasks/{id}", bind_route(svc, get));
  gateway.add_route("DELETE", "/v1/tasks/{id}", bind_route(svc, cancel));
  gateway.add_route("GET", "/v1/tasks/{id}/events", bind_route(svc, events));
}

}  // namespace autoglm::api
