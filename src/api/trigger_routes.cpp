// /v1/cron and /v1/triggers: add, list, read and remove cron and event triggers;
// /v1/events: post an event, submitting what the caller's event triggers make of it.
#include <boost/json.hpp>

#include "api/gateway.hpp"
#include "api/workflow_http.hpp"
#include "api/workflow_json.hpp"
#include "api/workflow_routes.hpp"
#include "api/workflow_service.hpp"

namespace autoglm::api {

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace workflow_http;
using store::TriggerKind;

const char* what(TriggerKind kind) { return kind == TriggerKind::kCron ? "cron trigger" : "trigger"; }

asio::awaitable<void> add(TriggerKind kind, WorkflowService& svc, http::Exchange& ex,
                          const RequestContext& ctx) {
  auto body = scope_trigger_body(ex.request().body(), ctx.tenant);
  if (!body) co_return co_await respond_error(ex, body.status());
  auto rec = co_await on_workers(svc.workers(), [&] {
    return kind == TriggerKind::kCron ? svc.engine().add_cron_trigger(*body)
                                      : svc.engine().add_event_trigger(*body);
  });
  if (!rec) co_return co_await respond_error(ex, rec.status());
  svc.wake();
  co_await respond_json(ex, 201, trigger_json(*rec, tenant_trigger_id(*rec, ctx.tenant).value_or("")));
}

asio::awaitable<void> list(TriggerKind kind, WorkflowService& svc, http::Exchange& ex,
                           const RequestContext& ctx) {
  auto recs = co_await on_workers(svc.workers(), [&] { return svc.engine().list_triggers(kind); });
  if (!recs) co_return co_await respond_error(ex, recs.status());
  json::array data;
  for (const auto& r : *recs) {
    if (auto id = tenant_trigger_id(r, ctx.tenant)) data.push_back(trigger_json(r, *id));
  }
  json::object out;
  out["object"] = "list";
  out["data"] = std::move(data);
  co_await respond_json(ex, 200, out);
}

// The caller's trigger of `kind` named `id`, or 404.
core::Result<store::TriggerRecord> tenant_trigger(WorkflowService& svc, TriggerKind kind,
                                                  const std::string& id,
                                                  const std::string& tenant) {
  auto all = svc.engine().list_triggers(kind);
  if (!all) return all.status();
  const std::string scoped = scoped_trigger_id(tenant, id);
  for (auto& r : *all) {
    if (r.id == scoped && tenant_trigger_id(r, tenant)) return std::move(r);
  }
  return not_found(what(kind), id);
}

asio::awaitable<void> get_one(TriggerKind kind, WorkflowService& svc, http::Exchange& ex,
                          const RequestContext& ctx) {
  const std::string id = ctx.params.at("id");
  auto rec = co_await on_workers(svc.workers(),
                                 [&] { return tenant_trigger(svc, kind, id, ctx.tenant); });
  if (!rec) co_return co_await respond_error(ex, rec.status());
  co_await respond_json(ex, 200, trigger_json(*rec, id));
}

asio::awaitable<void> remove_one(TriggerKind kind, WorkflowService& svc, http::Exchange& ex,
                             const RequestContext& ctx) {
  const std::string id = ctx.params.at("id");
  auto rec = co_await on_workers(svc.workers(), [&]() -> core::Result<store::TriggerRecord> {
    auto found = tenant_trigger(svc, kind, id, ctx.tenant);
    if (!found) return found;
    if (auto s = svc.engine().remove_trigger(found->id); !s) return s;
    return found;
  });
  if (!rec) co_return co_await respond_error(ex, rec.status());
  json::object out;
  out["id"] = id;
  out["deleted"] = true;
  co_await respond_json(ex, 200, out);
}

asio::awaitable<void> post_event(WorkflowService& svc, http::Exchange& ex,
                                 const RequestContext& ctx) {
  const workflow::SubmitContext submit_ctx{ctx.tenant, header(ex, "idempotency-key")};
  const std::string& body = ex.request().body();
  auto outcome = co_await on_workers(svc.workers(),
                                     [&] { return svc.engine().post_event(body, submit_ctx); });
  if (!outcome) co_return co_await respond_error(ex, outcome.status());
  svc.wake();
  json::array tasks, runs;
  for (auto id : outcome->tasks) tasks.push_back(json::value(std::to_string(id)));
  for (auto id : outcome->dag_runs) runs.push_back(json::value(std::to_string(id)));
  json::object out;
  out["tasks"] = std::move(tasks);
  out["dag_runs"] = std::move(runs);
  co_await respond_json(ex, 202, out);
}

// A route handler for trigger kind `kind`.
template <typename Fn>
Gateway::RouteHandler for_kind(WorkflowService& svc, TriggerKind kind, Fn fn) {
  return [&svc, kind, fn](http::Exchange& ex, const RequestContext& ctx) {
    return fn(kind, svc, ex, ctx);
  };
}

}  // namespace

void add_trigger_routes(Gateway& gateway, WorkflowService& svc) {
  for (const auto& [base, kind] : {std::pair{"/v1/cron", TriggerKind::kCron},
                                   std::pair{"/v1/triggers", TriggerKind::kEvent}}) {
    const std::string one = std::string(base) + "/{id}";
    gateway.add_route("POST", base, for_kind(svc, kind, add));
    gateway.add_route("GET", base, for_kind(svc, kind, list));
    gateway.add_route("GET", one, for_kind(svc, kind, get_one));
    gateway.add_route("DELETE", one, for_kind(svc, kind, remove_one));
  }
  gateway.add_route("POST", "/v1/events", workflow_http::bind_route(svc, post_event));
}

}  // namespace autoglm::api
