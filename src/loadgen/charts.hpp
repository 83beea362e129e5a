// Charts comparing load runs: the cumulative distribution of a latency (TTFT, end to end)
// per system, drawn with sim::render_svg. Reads the JSON that report_json writes (with its
// per-request list). Pure, apart from the caller reading the files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::loadgen {

struct RunLatencies {
  std::string label;
  std::vector<double> ttft_ms;  // successful, measured requests
  std::vector<double> e2e_ms;
};

// From one report_json document written with --per-request. kInvalidArgument when it is
// not one.
core::Result<RunLatencies> read_run_latencies(std::string_view report_json_text);

// An SVG CDF (log x axis, ms) of `metric` ("ttft" or "e2e") for each run.
std::string latency_cdf_svg(const std::vector<RunLatencies>& runs, std::string_view metric,
                            std::string_view title);

}  // namespace autoglm::loadgen
