#include "loadgen/report.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

namespace autoglm::loadgen {

namespace json = boost::json;

namespace {

json::object distribution_json(const Distribution& d) {
  return {{"count", d.count}, {"mean", d.mean}, {"min", d.min}, {"p50", d.p50},
          {"p90", d.p90},     {"p99", d.p99},   {"max", d.max}};
}

json::object node_json(const NodeSummary& n) {
  return {{"url", n.url},
          {"samples", n.samples},
          {"failures", n.failures},
          {"busy_share", n.busy_share},
          {"mean_running", n.mean_running},
          {"mean_waiting", n.mean_waiting},
          {"mean_kv_usage", n.mean_kv_usage}};
}

json::object request_json(const RequestResult& r) {
  return {{"scheduled_s", r.scheduled_s},
          {"start_lag_ms", r.start_lag_ms},
          {"warmup", r.warmup},
          {"ok", r.ok},
          {"error", r.error},
          {"status", r.status},
          {"ttft_ms", r.ttft_ms},
          {"e2e_ms", r.e2e_ms},
          {"input_tokens", r.input_tokens},
          {"output_tokens", r.output_tokens},
          {"finished_s", r.finished_s}};
}

std::string row(std::string_view name, const Distribution& d) {
  return fmt::format("  {:<22} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f}\n", name, d.mean,
                     d.p50, d.p90, d.p99, d.max);
}

}  // namespace

std::string report_json(const ReportInput& in) {
  const RunSummary& s = in.summary;
  json::object errors;
  for (const auto& [kind, n] : s.errors) errors[kind] = n;
  json::array nodes;
  for (const auto& n : in.nodes) nodes.push_back(node_json(n));
  json::object summary{{"sent", s.sent},
                       {"measured", s.measured},
                       {"succeeded", s.succeeded},
                       {"success_rate", s.success_rate},
                       {"duration_s", s.duration_s},
                       {"request_throughput", s.request_throughput},
                       {"output_token_throughput", s.output_token_throughput},
                       {"ttft_ms", distribution_json(s.ttft_ms)},
                       {"tpot_ms", distribution_json(s.tpot_ms)},
                       {"e2e_ms", distribution_json(s.e2e_ms)},
                       {"start_lag_ms", distribution_json(s.start_lag_ms)},
                       {"errors", std::move(errors)}};
  json::object doc{{"label", in.label},        {"workload", in.workload},
                   {"base_url", in.base_url},  {"stream", in.stream},
                   {"wall_s", in.wall_s},      {"summary", std::move(summary)},
                   {"nodes", std::move(nodes)}};
  if (in.requests) {
    json::array requests;
    for (const auto& r : *in.requests) requests.push_back(request_json(r));
    doc["requests"] = std::move(requests);
  }
  return json::serialize(doc) + "\n";
}

std::string report_text(const ReportInput& in) {
  const RunSummary& s = in.summary;
  std::string out = fmt::format("{} ({})\n", in.label, in.workload);
  out += fmt::format("  requests: {} measured ({} sent), {} ok = {:.2f}% in {:.1f} s\n", s.measured,
                     s.sent, s.succeeded, 100 * s.success_rate, s.duration_s);
  out += fmt::format("  throughput: {:.2f} req/s, {:.0f} output tokens/s\n", s.request_throughput,
                     s.output_token_throughput);
  out += fmt::format("  {:<22} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "ms", "mean", "p50", "p90",
                     "p99", "max");
  if (in.stream) {
    out += row("time to first token", s.ttft_ms);
    out += row("time per output token", s.tpot_ms);
  }
  out += row("end to end", s.e2e_ms);
  out += row("send lateness", s.start_lag_ms);
  for (const auto& [kind, n] : s.errors) out += fmt::format("  error {}: {}\n", kind, n);
  for (const auto& n : in.nodes) {
    out += fmt::format("  node {}: busy {:.0f}%, running {:.1f}, waiting {:.1f}, KV {:.0f}%{}\n",
                       n.url, 100 * n.busy_share, n.mean_running, n.mean_waiting,
                       100 * n.mean_kv_usage,
                       n.failures ? fmt::format(", {} failed scrapes", n.failures) : "");
  }
  return out;
}

}  // namespace autoglm::loadgen
