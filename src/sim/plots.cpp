#include "sim/plots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace autoglm::sim {
namespace {

LineChart cdf_chart(const std::string& title, const std::string& what,
                    const std::vector<PolicyPlotData>& runs,
                    std::vector<double> PolicyPlotData::*values) {
  LineChart c;
  c.title = title;
  c.x_label = what + " (ms, log scale)";
  c.y_label = "share of successful requests";
  c.x_log = true;
  c.step = true;
  c.y_min = 0;
  c.y_max = 1;
  for (const auto& run : runs) c.series.push_back({run.policy, cdf_points(run.*values)});
  return c;
}

// One line per policy of f(sample) against the sample's time in seconds from the start.
template <typename F>
LineChart time_chart(const std::string& title, const std::string& y_label,
                     const std::vector<PolicyPlotData>& runs, F f) {
  LineChart c;
  c.title = title;
  c.x_label = "simulated time since the first arrival (s)";
  c.y_label = y_label;
  for (const auto& run : runs) {
    ChartSeries s{run.policy, {}};
    const auto& samples = run.series.samples();
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const double t = core::to_ms(run.series.time_of(i) - run.series.start()) / 1000.0;
      s.points.emplace_back(t, f(samples[i]));
    }
    c.series.push_back(std::move(s));
  }
  return c;
}

}  // namespace

PolicyPlotData plot_data(const SimulationResult& result) {
  PolicyPlotData d;
  d.policy = result.policy;
  for (const RequestResult& r : result.requests) {
    if (r.outcome != Outcome::kSuccess) continue;
    d.e2e_ms.push_back(core::to_ms(r.e2e));
    d.ttft_ms.push_back(core::to_ms(r.ttft));
  }
  d.series = result.series;
  return d;
}

std::vector<std::pair<double, double>> cdf_points(std::vector<double> values,
                                                  std::size_t max_points) {
  std::vector<std::pair<double, double>> out;
  if (values.empty() || max_points == 0) return out;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const std::size_t m = std::min(n, max_points);
  out.reserve(m);
  for (std::size_t j = 1; j <= m; ++j) {
    const std::size_t rank = (j * n + m - 1) / m;  // ceil(j n / m), strictly increasing
    out.emplace_back(values[rank - 1], double(rank) / double(n));
  }
  return out;
}

std::vector<PlotFile> scenario_plots(const std::string& scenario,
                                     const std::vector<PolicyPlotData>& runs) {
  std::vector<PlotFile> files;
  files.push_back({"e2e_cdf.svg",
                   render_svg(cdf_chart(fmt::format("{}: end-to-end latency CDF", scenario),
                                        "arrival to last token", runs, &PolicyPlotData::e2e_ms))});
  files.push_back({"ttft_cdf.svg", render_svg(cdf_chart(
                                       fmt::format("{}: time to first token CDF", scenario),
                                       "arrival to first token", runs, &PolicyPlotData::ttft_ms))});
  LineChart util = time_chart(fmt::format("{}: GPU utilisation over time", scenario),
                              "GPU utilisation, mean over nodes (%)", runs,
                              [](const ClusterSample& s) { return 100.0 * s.gpu_util; });
  util.y_min = 0;
  util.y_max = 100;
  files.push_back({"utilisation.svg", render_svg(util)});
  LineChart queue = time_chart(fmt::format("{}: queue length over time", scenario),
                               "requests waiting (gateway + engine queues)", runs,
                               [](const ClusterSample& s) { return s.queued + s.waiting; });
  files.push_back({"queue.svg", render_svg(queue)});
  return files;
}

core::Status write_plots(const std::string& dir, const std::vector<PlotFile>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return core::invalid_argument(fmt::format("cannot create {}: {}", dir, ec.message()), "plot");
  for (const PlotFile& f : files) {
    const auto path = std::filesystem::path(dir) / f.name;
    std::ofstream out(path, std::ios::binary);
    if (!(out << f.svg) || !out.flush()) {
      return core::invalid_argument(fmt::format("cannot write {}", path.string()), "plot");
    }
  }
  return core::Status();
}

core::Duration plot_sample_interval(core::Duration span, int points) {
  const auto per = span / std::max(1, points);
  return std::max<core::Duration>(per, core::from_ms(10));
}

}  // namespace autoglm::sim
