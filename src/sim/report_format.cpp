// Rendering of ScenarioReport: one list of columns serves the table, Markdown and CSV; JSON
// has every field.
#include <boost/json.hpp>
#include <cmath>
#include <fmt/format.h>
#include <functional>

#include "sim/report.hpp"

namespace autoglm::sim {
namespace {

struct Column {
  const char* header;  // table and Markdown
  const char* key;     // CSV
  int decimals;
  std::function<double(const PolicyReport&)> value;
};

// The design seed's three columns come first.
const std::vector<Column>& columns() {
  static const std::vector<Column> cols = {
      {"avg resp ms", "mean_e2e_ms", 0, [](const PolicyReport& r) { return r.e2e.mean_ms; }},
      {"GPU util %", "gpu_util_pct", 1, [](const PolicyReport& r) { return 100 * r.gpu_util; }},
      {"success %", "success_pct", 1, [](const PolicyReport& r) { return 100 * r.success_rate; }},
      {"wtd util %", "gpu_util_weighted_pct", 1,
       [](const PolicyReport& r) { return 100 * r.gpu_util_weighted; }},
      {"p50 e2e", "p50_e2e_ms", 0, [](const PolicyReport& r) { return r.e2e.p50_ms; }},
      {"p99 e2e", "p99_e2e_ms", 0, [](const PolicyReport& r) { return r.e2e.p99_ms; }},
      {"mean TTFT", "mean_ttft_ms", 0, [](const PolicyReport& r) { return r.ttft.mean_ms; }},
      {"p99 TTFT", "p99_ttft_ms", 0, [](const PolicyReport& r) { return r.ttft.p99_ms; }},
      {"mean TPOT", "mean_tpot_ms", 1, [](const PolicyReport& r) { return r.tpot.mean_ms; }},
      {"cache hit %", "cache_hit_pct", 1,
       [](const PolicyReport& r) { return 100 * r.cache_hit_rate; }},
      {"load CV", "load_cv", 2, [](const PolicyReport& r) { return r.load_cv; }},
      {"goodput req/s", "goodput_rps", 2, [](const PolicyReport& r) { return r.goodput_rps; }},
      {"shed", "shed", 0, [](const PolicyReport& r) { return double(r.shed); }},
      {"timeout", "timed_out", 0, [](const PolicyReport& r) { return double(r.timed_out); }},
      {"failed", "failed", 0, [](const PolicyReport& r) { return double(r.failed); }},
  };
  return cols;
}

const std::vector<Column>& seed_columns() {
  static const std::vector<Column> cols = {
      {"average response time (ms)", "mean_e2e_ms", 0,
       [](const PolicyReport& r) { return r.e2e.mean_ms; }},
      {"GPU utilisation (%)", "gpu_util_pct", 1,
       [](const PolicyReport& r) { return 100 * r.gpu_util; }},
      {"task success rate (%)", "success_pct", 1,
       [](const PolicyReport& r) { return 100 * r.success_rate; }},
  };
  return cols;
}

std::string cell(const Column& c, const PolicyReport& r) {
  return fmt::format("{:.{}f}", c.value(r), c.decimals);
}

std::string render_table(const ScenarioReport& report, const std::vector<Column>& cols,
                         bool markdown) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head{"policy"};
  for (const Column& c : cols) head.emplace_back(c.header);
  rows.push_back(head);
  for (const PolicyReport& p : report.policies) {
    std::vector<std::string> row{p.policy};
    for (const Column& c : cols) row.push_back(cell(c, p));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out = markdown ? fmt::format("**{}**: {}\n\n", report.scenario, report.workload)
                             : fmt::format("scenario {}: {}\n", report.scenario, report.workload);
  const auto line = [&](const std::vector<std::string>& row) {
    std::string s = markdown ? "| " : "";
    for (std::size_t i = 0; i < row.size(); ++i) {
      s += i == 0 ? fmt::format("{:<{}}", row[i], width[i]) : fmt::format("{:>{}}", row[i], width[i]);
      s += markdown ? " |" : "";
      if (i + 1 < row.size()) s += markdown ? " " : "  ";
    }
    return s + "\n";
  };
  out += line(rows[0]);
  std::string rule = markdown ? "|" : "";
  for (std::size_t i = 0; i < width.size(); ++i) {
    rule += markdown ? (i == 0 ? std::string(width[i] + 2, '-') : std::string(width[i] + 1, '-') + ":") + "|"
                     : std::string(width[i], '-') + (i + 1 < width.size() ? "  " : "");
  }
  out += rule + "\n";
  for (std::size_t r = 1; r < rows.size(); ++r) out += line(rows[r]);
  return out;
}

std::string render_csv(const ScenarioReport& report) {
  std::string out = "scenario,policy,requests";
  for (const Column& c : columns()) out += fmt::format(",{}", c.key);
  out += "\n";
  for (const PolicyReport& p : report.policies) {
    out += fmt::format("{},{},{}", report.scenario, p.policy, p.requests);
    for (const Column& c : columns()) out += "," + cell(c, p);
    out += "\n";
  }
  return out;
}

double rounded(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

void add_latency(boost::json::object& o, const char* what, const LatencyStats& s) {
  o[fmt::format("mean_{}_ms", what)] = rounded(s.mean_ms, 3);
  o[fmt::format("p50_{}_ms", what)] = rounded(s.p50_ms, 3);
  o[fmt::format("p90_{}_ms", what)] = rounded(s.p90_ms, 3);
  o[fmt::format("p99_{}_ms", what)] = rounded(s.p99_ms, 3);
}

boost::json::object policy_json(const PolicyReport& p) {
  boost::json::object o;
  o["requests"] = p.requests;
  o["succeeded"] = p.succeeded;
  o["shed"] = p.shed;
  o["timed_out"] = p.timed_out;
  o["failed"] = p.failed;
  o["success_rate"] = rounded(p.success_rate, 6);
  add_latency(o, "e2e", p.e2e);
  add_latency(o, "ttft", p.ttft);
  add_latency(o, "tpot", p.tpot);
  o["duration_s"] = rounded(p.duration_s, 3);
  o["goodput_rps"] = rounded(p.goodput_rps, 4);
  o["goodput_tokens_per_s"] = rounded(p.goodput_tokens_per_s, 2);
  o["gpu_util"] = rounded(p.gpu_util, 4);
  o["gpu_util_weighted"] = rounded(p.gpu_util_weighted, 4);
  o["cache_hit_rate"] = rounded(p.cache_hit_rate, 4);
  o["load_cv"] = rounded(p.load_cv, 4);
  o["preemptions"] = p.preemptions;
  o["scheduler_preemptions"] = p.scheduler_preemptions;
  o["too_long"] = p.too_long;
  o["events"] = p.events;
  boost::json::array nodes;
  for (const NodeReport& n : p.nodes) {
    nodes.push_back(boost::json::object{{"id", n.id},
                                        {"profile", n.profile},
                                        {"requests", n.requests},
                                        {"gpu_util", rounded(n.gpu_util, 4)},
                                        {"mean_ttft_ms", rounded(n.mean_ttft_ms, 1)},
                                        {"mean_e2e_ms", rounded(n.mean_e2e_ms, 1)},
                                        {"preemptions", n.preemptions}});
  }
  o["nodes"] = std::move(nodes);
  return o;
}

// Numbers as people write them (0.937, 4671.5), not Boost.JSON's 9.37E-1.
void compact(const boost::json::value& v, std::string& out) {
  if (const auto* o = v.if_object()) {
    out += "{";
    bool first = true;
    for (const auto& [key, value] : *o) {
      out += first ? "" : ", ";
      first = false;
      out += boost::json::serialize(boost::json::string(key)) + ": ";
      compact(value, out);
    }
    out += "}";
  } else if (const auto* a = v.if_array()) {
    out += "[";
    for (std::size_t i = 0; i < a->size(); ++i) {
      out += i ? ", " : "";
      compact((*a)[i], out);
    }
    out += "]";
  } else if (v.is_double()) {
    out += fmt::format("{}", v.get_double());
  } else {
    out += boost::json::serialize(v);
  }
}

// Objects, and arrays of objects, one member per line indented two spaces a level.
void pretty(const boost::json::value& v, std::string& out, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  if (const auto* o = v.if_object(); o && !o->empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : *o) {
      out += pad + boost::json::serialize(boost::json::string(key)) + ": ";
      pretty(value, out, indent + 2);
      out += ++i < o->size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<std::size_t>(indent), ' ') + "}";
  } else if (const auto* a = v.if_array(); a && !a->empty() && a->front().is_object()) {
    out += "[\n";
    for (std::size_t i = 0; i < a->size(); ++i) {
      out += pad;
      compact((*a)[i], out);
      out += i + 1 < a->size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<std::size_t>(indent), ' ') + "]";
  } else {
    compact(v, out);
  }
}

std::string render_json(const ScenarioReport& report) {
  boost::json::object policies;
  for (const PolicyReport& p : report.policies) policies[p.policy] = policy_json(p);
  const boost::json::value doc = boost::json::object{
      {"scenario", report.scenario}, {"workload", report.workload}, {"policies", std::move(policies)}};
  std::string out;
  pretty(doc, out, 0);
  return out + "\n";
}

}  // namespace

std::string render_report(const ScenarioReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kTable: return render_table(report, columns(), false);
    case ReportFormat::kMarkdown: return render_table(report, columns(), true);
    case ReportFormat::kSeedTable: return render_table(report, seed_columns(), false);
    case ReportFormat::kCsv: return render_csv(report);
    case ReportFormat::kJson: return render_json(report);
  }
  return {};
}

}  // namespace autoglm::sim
