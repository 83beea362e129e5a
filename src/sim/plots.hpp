// The charts `autoglm simulate --plot DIR` writes: latency CDFs (end-to-end and time to
// first token), GPU utilisation and queue length over time, one line per policy.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "sim/simulator.hpp"
#include "sim/svg_chart.hpp"

namespace autoglm::sim {

// What the charts need from one policy's run (a SimulationResult is much larger).
struct PolicyPlotData {
  std::string policy;
  std::vector<double> e2e_ms;   // successful requests, arrival to last token
  std::vector<double> ttft_ms;  // successful requests, arrival to first token
  TimeSeries series;            // recorded with SimulationOptions::sample_interval
};

PolicyPlotData plot_data(const SimulationResult& result);

// The empirical CDF of `values` as (value, share of values <= it) points, at most
// `max_points` of them, both coordinates non-decreasing and the last share 1. Empty in,
// empty out.
std::vector<std::pair<double, double>> cdf_points(std::vector<double> values,
                                                  std::size_t max_points = 400);

struct PlotFile {
  std::string name;  // e2e_cdf.svg, ttft_cdf.svg, utilisation.svg, queue.svg
  std::string svg;
};

std::vector<PlotFile> scenario_plots(const std::string& scenario,
                                     const std::vector<PolicyPlotData>& runs);

// Creates `dir` if needed and writes the files there; names what failed.
core::Status write_plots(const std::string& dir, const std::vector<PlotFile>& files);

// A sampling interval giving about `points` samples over a workload spanning `span`, at
// least 10 ms.
core::Duration plot_sample_interval(core::Duration span, int points = 600);

}  // namespace autoglm::sim
