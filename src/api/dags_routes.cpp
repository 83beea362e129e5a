// /v1/dags: submit a DAG workflow (JSON or YAML), read its status with every node, list
// runs, and cancel a run.
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

// The caller's run `id_text`, or 404 for a missing id and for another tenant's run.
core::Result<store::DagRunId> tenant_run(WorkflowService& svc, const std::string& id_text,
                                         const std::string& tenant) {
  const auto id = parse_record_id(id_text);
  if (!id) return not_found("DAG run", id_text);
  auto status = svc.engine().dag_status(*id);
  if (!status) {
    if (status.status().code() == core::ErrorCode::kNotFound) return not_found("DAG run", id_text);
    return status.status();
  }
  if (status->run.input.tenant != tenant) return not_found("DAG run", id_text);
  return *id;
}

asio::awaitable<void> submit(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  const workflow::SubmitContext submit_ctx{ctx.tenant, header(ex, "idempotency-key")};
  const std::string& body = ex.request().body();
  auto sub =
      co_await on_workers(svc.workers(), [&] { return svc.engine().submit_dag(body, submit_ctx); });
  if (!sub) co_return co_await respond_error(ex, sub.status());
  svc.wake();
  co_await respond_json(ex, sub->created ? 201 : 200, dag_run_json(sub->record));
}

asio::awaitable<void> status(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  const std::string id = ctx.params.at("id");
  auto st = co_await on_workers(svc.workers(), [&]() -> core::Result<workflow::DagStatus> {
    auto run = tenant_run(svc, id, ctx.tenant);
    if (!run) return run.status();
    return svc.engine().dag_status(*run);
  });
  if (!st) co_return co_await respond_error(ex, st.status());
  co_await respond_json(ex, 200, dag_status_json(*st));
}

asio::awaitable<void> list(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  auto query = workflow_http::list_query(ex, ctx.tenant, "running, succeeded, failed or cancelled");
  if (!query) co_return co_await respond_error(ex, query.status());
  auto page =
      co_await on_workers(svc.workers(), [&] { return svc.engine().page_dag_runs(*query); });
  if (!page) co_return co_await respond_error(ex, page.status());
  json::array data;
  for (const auto& r : page->runs) data.push_back(dag_run_json(r));
  json::object out;
  out["object"] = "list";
  out["data"] = std::move(data);
  out["next_cursor"] = page->next_cursor;
  co_await respond_json(ex, 200, out);
}

asio::awaitable<void> cancel(WorkflowService& svc, http::Exchange& ex, const RequestContext& ctx) {
  const std::string id = ctx.params.at("id");
  auto st = co_await on_workers(svc.workers(), [&]() -> core::Result<workflow::DagStatus> {
    auto run = tenant_run(svc, id, ctx.tenant);
    if (!run) return run.status();
    if (auto c = svc.engine().cancel_dag(*run); !c) return c.status();
    return svc.engine().dag_status(*run);
  });
  if (!st) co_return co_await respond_error(ex, st.status());
  svc.wake();
  co_await respond_json(ex, 200, dag_status_json(*st));
}

}  // namespace

void add_dag_routes(Gateway& gateway, WorkflowService& svc) {
  using workflow_http::bind_route;
  gateway.add_route("POST", "/v1/dags", bind_route(svc, submit));
  gateway.add_route("GET", "/v1/dags", bind_route(svc, list));
  gateway.add_route("GET", "/v1/dags/{id}", bind_route(svc, status));
  gateway.add_route("DELETE", "/v1/dags/{id}", bind_route(svc, cancel));
}

}  // namespace autoglm::api
