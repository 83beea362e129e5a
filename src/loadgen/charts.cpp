#include "loadgen/charts.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "sim/svg_chart.hpp"

namespace autoglm::loadgen {

namespace json = boost::json;

namespace {

// At most this many points per curve: enough for a smooth step line, small SVG files.
constexpr std::size_t kMaxPoints = 400;

std::vector<std::pair<double, double>> cdf_points(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::vector<std::pair<double, double>> points;
  const std::size_t n = values.size();
  const std::size_t step = std::max<std::size_t>(1, n / kMaxPoints);
  for (std::size_t i = 0; i < n; i += step)
    points.emplace_back(values[i], double(i + 1) / double(n));
  if (n > 0 && points.back().second < 1) points.emplace_back(values.back(), 1.0);
  return points;
}

}  // namespace

core::Result<RunLatencies> read_run_latencies(std::string_view text) {
  json::error_code ec;
  json::value doc = json::parse(text, ec);
  const json::object* obj = ec ? nullptr : doc.if_object();
  const json::value* requests = obj ? obj->if_contains("requests") : nullptr;
  if (!requests || !requests->is_array()) {
    return core::invalid_argument(
        "not a bench result with per-request data (run with --per-request)");
  }
  RunLatencies out;
  if (const auto* label = obj->if_contains("label"); label && label->is_string())
    out.label = std::string(label->get_string());
  for (const auto& r : requests->get_array()) {
    const auto* o = r.if_object();
    if (!o || !o->contains("ok") || !o->at("ok").is_bool() || !o->at("ok").get_bool()) continue;
    if (o->contains("warmup") && o->at("warmup").is_bool() && o->at("warmup").get_bool()) continue;
    const double ttft = o->at("ttft_ms").to_number<double>();
    if (ttft >= 0) out.ttft_ms.push_back(ttft);
    out.e2e_ms.push_back(o->at("e2e_ms").to_number<double>());
  }
  return out;
}

std::string latency_cdf_svg(const std::vector<RunLatencies>& runs, std::string_view metric,
                            std::string_view title) {
  sim::LineChart chart;
  chart.title = std::string(title);
  chart.x_label =
      metric == "ttft" ? "time to first token (ms, log scale)" : "end-to-end time (ms, log scale)";
  chart.y_label = "share of requests";
  chart.x_log = true;
  chart.step = true;
  chart.y_min = 0;
  chart.y_max = 1;
  for (const auto& run : runs) {
    chart.series.push_back({run.label, cdf_points(metric == "ttft" ? run.ttft_ms : run.e2e_ms)});
  }
  return sim::render_svg(chart);
}

}  // namespace autoglm::loadgen
