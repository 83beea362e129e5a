#include "api/dashboard.hpp"

#include <algorithm>
#include <deque>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "api/explain.hpp"
#include "api/gateway.hpp"
#include "api/guard.hpp"
#include "api/node_routes.hpp"
#include "api/workflow_http.hpp"
#include "api/workflow_json.hpp"
#include "api/workflow_service.hpp"
#include "core/version.hpp"
#include "workflow/wall_clock.hpp"

namespace autoglm::api {

namespace asio = boost::asio;
namespace json = boost::json;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::size_t kTasks = 200;   // newest async and DAG tasks shown
constexpr std::size_t kDagRuns = 12;  // newest DAG runs drawn, with their nodes
constexpr std::size_t kEvents = 100;  // latest task events shown
constexpr std::size_t kOutputChars = 200;
constexpr auto kDefaultInterval = std::chrono::milliseconds(1000);
constexpr auto kMinInterval = std::chrono::milliseconds(250);
constexpr auto kMaxInterval = std::chrono::milliseconds(60'000);

// Every node the monitor knows, with the scheduler's score and EWMA latencies for it.
json::array nodes_json(const std::vector<monitor::NodeReport>& reports,
                       const sched::Snapshot& snapshot) {
  json::array out;
  for (const auto& report : reports) {
    json::object node = node_report_object(report);
    if (report.index < snapshot.scores.size()) {
      for (auto& [key, value] : node_score_object(snapshot.scores[report.index])) {
        if (key != "id") node[key] = std::move(value);
      }
    }
    out.push_back(std::move(node));
  }
  return out;
}

json::object histogram_json(const metrics::Histogram::Snapshot& h) {
  json::array cumulative;
  for (auto n : h.cumulative) cumulative.push_back(n);
  json::object o;
  o["cumulative"] = std::move(cumulative);
  o["count"] = h.count;
  o["sum"] = h.sum;
  return o;
}

json::object latency_json(const GatewayMetrics::LatencyBuckets& buckets) {
  json::array bounds;
  for (double b : buckets.bounds) bounds.push_back(b);
  json::object o;
  o["bounds_s"] = std::move(bounds);
  o["ttft"] = histogram_json(buckets.ttft);
  o["e2e"] = histogram_json(buckets.e2e);
  return o;
}

// A task as /v1/tasks shows it, with its tenant, without payload and stored output (they
// can be large), and the output text cut short.
json::object task_line(const store::TaskRecord& task) {
  json::object o = task_json(task);
  o.erase("payload");
  o.erase("output");
  if (auto* text = o.if_contains("output_text"); text && text->is_string()) {
    const std::string_view full = text->get_string();
    if (full.size() > kOutputChars) {
      std::size_t cut = kOutputChars;
      while (cut > 0 && (static_cast<unsigned char>(full[cut]) & 0xC0) == 0x80) --cut;
      *text = std::string(full.substr(0, cut)) + "…";
    }
  }
  o["tenant"] = task.input.tenant.empty() ? std::string(kDefaultTenant) : task.input.tenant;
  return o;
}

json::object dag_line(const workflow::DagStatus& status) {
  json::object o = dag_status_json(status);
  if (auto* tasks = o.if_contains("tasks"); tasks && tasks->is_array()) {
    for (auto& t : tasks->as_array()) {
      t.as_object().erase("payload");
      t.as_object().erase("output");
      t.as_object().erase("output_text");
    }
  }
  o["tenant"] =
      status.run.input.tenant.empty() ? std::string(kDefaultTenant) : status.run.input.tenant;
  return o;
}

// The highest event seq in the log, by bisection: events_since(x, 1) is non-empty exactly
// when some event has a seq above x. About 2·log2(seq) small reads, once per gateway.
core::Result<std::int64_t> last_event_seq(workflow::WorkflowEngine& engine) {
  const auto after = [&engine](std::int64_t x) -> core::Result<bool> {
    auto batch = engine.events_since(x, 1, 0);
    if (!batch) return batch.status();
    return !batch->empty();
  };
  std::int64_t lo = 0;  // some event is above lo (or lo == 0)
  std::int64_t hi = 1;  // none is above hi
  for (;;) {
    auto any = after(hi);
    if (!any) return any.status();
    if (!*any) break;
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto any = after(mid);
    if (!any) return any.status();
    if (*any) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace

// The latest task events, kept across snapshots so each one reads only what is new.
struct Dashboard::EventTail {
  std::mutex mu;
  bool positioned = false;
  std::int64_t after = 0;
  std::deque<store::TaskEvent> recent;  // oldest first, at most kEvents

  core::Status refresh(workflow::WorkflowEngine& engine) {
    std::lock_guard lock(mu);
    if (!positioned) {
      auto last = last_event_seq(engine);
      if (!last) return last.status();
      after = std::max<std::int64_t>(0, *last - static_cast<std::int64_t>(kEvents) - 1);
      positioned = true;
    }
    for (;;) {
      auto batch = engine.events_since(after, 500, 0);
      if (!batch) return batch.status();
      for (auto& e : *batch) {
        after = e.seq;
        recent.push_back(std::move(e));
        if (recent.size() > kEvents) recent.pop_front();
      }
      if (batch->size() < 500) return core::Status();
    }
  }

  json::array newest_first() {
    std::lock_guard lock(mu);
    json::array out;
    for (auto it = recent.rbegin(); it != recent.rend(); ++it) out.push_back(task_event_json(*it));
    return out;
  }
};

namespace {

// Tasks, DAG runs, triggers and events of every tenant (the dashboard is an admin view).
// Blocks on the store: run it on the workflow workers.
json::object work_json(workflow::WorkflowEngine& engine, Dashboard::EventTail& events) {
  json::object out;
  out["enabled"] = true;
  std::string error;
  const auto note = [&error](const core::Status& s) {
    if (!s.is_ok() && error.empty()) error = s.message();
  };
  json::array tasks;
  store::TaskQuery query;
  query.limit = kTasks;
  if (auto page = engine.list_tasks(query)) {
    for (const auto& t : page->tasks) tasks.push_back(task_line(t));
  } else {
    note(page.status());
  }
  json::array runs;
  if (auto list = engine.list_dag_runs(std::nullopt, kDagRuns)) {
    for (const auto& run : *list) {
      auto status = engine.dag_status(run.id);
      if (status)
        runs.push_back(dag_line(*status));
      else
        note(status.status());
    }
  } else {
    note(list.status());
  }
  json::array triggers;
  if (auto list = engine.list_triggers(std::nullopt)) {
    for (const auto& t : *list) triggers.push_back(trigger_json(t, t.id));
  } else {
    note(list.status());
  }
  note(events.refresh(engine));
  out["tasks"] = std::move(tasks);
  out["dag_runs"] = std::move(runs);
  out["triggers"] = std::move(triggers);
  out["events"] = events.newest_first();
  if (!error.empty()) out["error"] = "the task store could not be read: " + error;
  return out;
}

std::chrono::milliseconds stream_interval(const http::Exchange& exchange) {
  const auto text = workflow_http::query_param(exchange, "interval_ms");
  const auto ms = text ? parse_record_id(*text) : std::nullopt;
  if (!ms) return kDefaultInterval;
  return std::clamp(std::chrono::milliseconds(*ms), kMinInterval, kMaxInterval);
}

}  // namespace

Dashboard::Dashboard(Gateway& gateway, WorkflowService* workflows)
    : gateway_(gateway), workflows_(workflows), events_(std::make_unique<EventTail>()) {}

Dashboard::~Dashboard() = default;

asio::awaitable<std::string> Dashboard::snapshot() {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (!cached_.empty() && now - cached_at_ < kReuse) co_return cached_;
  }
  std::string body = co_await build();
  std::lock_guard lock(mu_);
  cached_ = body;
  cached_at_ = now;
  co_return body;
}

asio::awaitable<std::string> Dashboard::build() {
  const sched::Snapshot scheduler = co_await gateway_.scheduler_snapshot();
  const auto reports = gateway_.monitor().report();
  const core::Time at = workflow::WallClock().now();
  json::object out;
  out["object"] = "dashboard";
  out["version"] = core::kVersion;
  out["at"] = rfc3339(at);
  out["at_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(at).count();
  out["nodes"] = nodes_json(reports, scheduler);
  json::object sched = snapshot_object(scheduler);
  sched.erase("nodes");  // merged into "nodes" above
  out["scheduler"] = std::move(sched);
  out["latency"] = latency_json(gateway_.metrics().latency_buckets());
  if (workflows_ != nullptr) {
    WorkflowService& svc = *workflows_;
    EventTail& events = *events_;
    json::object work = co_await workflow_http::on_workers(
        svc.workers(), [&svc, &events] { return work_json(svc.engine(), events); });
    out["work"] = std::move(work);
  } else {
    json::object off;
    off["enabled"] = false;
    out["work"] = std::move(off);
  }
  co_return json::serialize(out);
}

void Dashboard::attach() {
  gateway_.add_route(
      "GET", "/admin/v1/dashboard",
      [this](http::Exchange& exchange, const RequestContext&) -> asio::awaitable<void> {
        std::string body = co_await snapshot();
        co_await exchange.respond(200, std::move(body));
      });
  gateway_.add_route(
      "GET", "/admin/v1/dashboard/stream",
      [this](http::Exchange& exchange, const RequestContext&) -> asio::awaitable<void> {
        const auto interval = stream_interval(exchange);
        bhttp::response<bhttp::empty_body> head{bhttp::status::ok, 11};
        head.set(bhttp::field::content_type, "text/event-stream");
        head.set(bhttp::field::cache_control, "no-cache");
        if (!co_await exchange.begin_stream(std::move(head))) co_return;
        if (!co_await exchange.write_chunk("retry: 2000\n\n")) co_return;
        asio::steady_timer timer(co_await asio::this_coro::executor);
        // Until the page goes away or the gateway drains (the page then reconnects
        // elsewhere, or here after a restart).
        while (!gateway_.draining()) {
          const std::string data = co_await snapshot();
          const std::string event = "event: snapshot\ndata: " + data + "\n\n";
          if (!co_await exchange.write_chunk(event)) co_return;
          timer.expires_after(interval);
          co_await timer.async_wait(asio::use_awaitable);
        }
        co_await exchange.end_stream();
      });
}

}  // namespace autoglm::api
