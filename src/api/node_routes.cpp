#include "api/node_routes.hpp"

#include <boost/json.hpp>

#include "api/gateway.hpp"
#include "api/node_monitor.hpp"
#include "http/errors.hpp"

namespace autoglm::api {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

double seconds(core::Duration d) { return std::chrono::duration<double>(d).count(); }

// Metrics nobody measured (-1) are left out.
void put_known(json::object& o, const char* key, double value) {
  if (value >= 0) o[key] = value;
}

json::object metrics_json(const core::NodeMetrics& m) {
  json::object o;
  put_known(o, "gpu_util", m.gpu_util);
  put_known(o, "gpu_mem_used_bytes", m.gpu_mem_used);
  put_known(o, "gpu_mem_total_bytes", m.gpu_mem_total);
  put_known(o, "cpu_util", m.cpu_util);
  put_known(o, "mem_util", m.mem_util);
  put_known(o, "net_util", m.net_util);
  put_known(o, "power_watts", m.power_watts);
  if (m.backend_running >= 0) o["backend_running"] = m.backend_running;
  if (m.backend_waiting >= 0) o["backend_waiting"] = m.backend_waiting;
  put_known(o, "kv_cache_usage", m.kv_cache_usage);
  return o;
}

}  // namespace

json::object node_report_object(const monitor::NodeReport& r) {
  json::object o;
  o["id"] = r.spec.id;
  o["url"] = r.spec.url;
  json::array models;
  for (const auto& m : r.spec.models) models.emplace_back(m);
  o["models"] = std::move(models);
  json::object labels;
  for (const auto& [k, v] : r.spec.labels) labels[k] = v;
  o["labels"] = std::move(labels);
  o["capacity"] = r.spec.capacity;
  o["state"] = r.state;
  o["reason"] = r.reason;
  o["since_s"] = seconds(r.since);
  o["accepts_work"] = r.accepts_work;
  o["source"] = r.source;
  if (r.heartbeat_age) o["heartbeat_age_s"] = seconds(*r.heartbeat_age);
  if (r.scrape_age) o["scrape_age_s"] = seconds(*r.scrape_age);
  if (!r.scrape_error.empty()) o["scrape_error"] = r.scrape_error;
  o["metrics"] = metrics_json(r.metrics);
  if (!r.gpu_status.empty()) o["gpu_status"] = r.gpu_status;
  if (!r.gpus.empty()) {
    json::array gpus;
    for (const auto& g : r.gpus) gpus.push_back(monitor::gpu_json(g));
    o["gpus"] = std::move(gpus);
  }
  json::object outlier;
  outlier["ejected"] = r.outlier.ejected;
  outlier["times_ejected"] = r.outlier.times_ejected;
  outlier["total_ejections"] = r.outlier.total_ejections;
  outlier["consecutive_5xx"] = r.outlier.consecutive_5xx;
  outlier["consecutive_gateway_failures"] = r.outlier.consecutive_gateway_failures;
  if (!r.outlier.last_reason.empty()) outlier["last_reason"] = r.outlier.last_reason;
  o["outlier"] = std::move(outlier);
  o["breaker"] = r.breaker;
  o["pending"] = r.pending;
  o["slow_start"] = r.slow_start;
  return o;
}

namespace {

asio::awaitable<void> respond_status(http::Exchange& exchange, const core::Status& status) {
  co_await exchange.respond(http::http_status_for(status.code()),
                            http::openai_error_body(status));
}

std::string report_or_empty(const std::optional<monitor::NodeReport>& report) {
  return report ? json::serialize(node_report_object(*report)) : "{}";
}

}  // namespace

std::string node_report_json(const monitor::NodeReport& report) {
  return json::serialize(node_report_object(report));
}

void add_node_routes(Gateway& gateway, NodeMonitor& monitor) {
  gateway.add_route("GET", "/admin/v1/nodes",
                    [&monitor](http::Exchange& exchange, const RequestContext&) {
                      json::array nodes;
                      for (const auto& r : monitor.report()) nodes.push_back(node_report_object(r));
                      json::object body;
                      body["object"] = "list";
                      body["data"] = std::move(nodes);
                      return exchange.respond(200, json::serialize(body));
                    });

  gateway.add_route(
      "POST", "/admin/v1/nodes",
      [&monitor](http::Exchange& exchange, const RequestContext&) -> asio::awaitable<void> {
        auto registration = monitor::registration_from_json(exchange.request().body());
        if (!registration) co_return co_await respond_status(exchange, registration.status());
        auto registered = monitor.register_node(*registration);
        if (!registered) co_return co_await respond_status(exchange, registered.status());
        // Named, not a ?: temporary inside co_await: GCC 12 destroys those twice.
        const unsigned status = registered->created ? 201 : 200;
        std::string body = report_or_empty(monitor.report(registration->node.id));
        co_await exchange.respond(status, std::move(body));
      });

  gateway.add_route(
      "GET", "/admin/v1/nodes/{id}",
      [&monitor](http::Exchange& exchange, const RequestContext& context) -> asio::awaitable<void> {
        const std::string& id = context.params.at("id");
        auto report = monitor.report(id);
        if (!report) {
          co_return co_await respond_status(
              exchange, core::not_found("no node '" + id + "' is registered", "id"));
        }
        co_await exchange.respond(200, node_report_json(*report));
      });

  gateway.add_route(
      "DELETE", "/admin/v1/nodes/{id}",
      [&monitor](http::Exchange& exchange, const RequestContext& context) -> asio::awaitable<void> {
        const std::string& id = context.params.at("id");
        if (auto status = monitor.deregister(id); !status) {
          co_return co_await respond_status(exchange, status);
        }
        json::object body;
        body["id"] = id;
        body["deleted"] = true;
        co_await exchange.respond(200, json::serialize(body));
      });

  gateway.add_route(
      "POST", "/admin/v1/nodes/{id}/drain",
      [&monitor](http::Exchange& exchange, const RequestContext& context) -> asio::awaitable<void> {
        const std::string& id = context.params.at("id");
        if (auto status = monitor.drain(id); !status) {
          co_return co_await respond_status(exchange, status);
        }
        std::string body = report_or_empty(monitor.report(id));
        co_await exchange.respond(200, std::move(body));
      });

  gateway.add_route(
      "POST", "/admin/v1/nodes/{id}/heartbeat",
      [&monitor](http::Exchange& exchange, const RequestContext& context) -> asio::awaitable<void> {
        const std::string& id = context.params.at("id");
        auto heartbeat = monitor::heartbeat_from_json(exchange.request().body());
        if (!heartbeat) co_return co_await respond_status(exchange, heartbeat.status());
        if (heartbeat->node_id.empty()) heartbeat->node_id = id;
        if (heartbeat->node_id != id) {
          co_return co_await respond_status(
              exchange, core::invalid_argument("node_id '" + heartbeat->node_id +
                                                   "' does not match the path's '" + id + "'",
                                               "node_id"));
        }
        if (auto status = monitor.heartbeat(*heartbeat); !status) {
          co_return co_await respond_status(exchange, status);
        }
        co_await exchange.respond(204, "");
      });
}

}  // namespace autoglm::api
