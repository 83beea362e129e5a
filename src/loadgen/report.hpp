// The load generator's results: a JSON document (the run's settings, the summary, the
// backends' metrics, optionally every request) and a terminal summary. Pure formatting.
#pragma once

#include <string>
#include <vector>

#include "loadgen/node_metrics.hpp"
#include "loadgen/stats.hpp"

namespace autoglm::loadgen {

struct ReportInput {
  std::string label;     // what was measured ("nginx least_conn", or the URL)
  std::string workload;  // sim::Workload::description
  std::string base_url;
  bool stream = true;
  double wall_s = 0;
  RunSummary summary;
  std::vector<NodeSummary> nodes;
  const std::vector<RequestResult>* requests = nullptr;  // written when not null
};

std::string report_json(const ReportInput& input);
std::string report_text(const ReportInput& input);

}  // namespace autoglm::loadgen
