// The BurstGPT trace (Wang et al., "BurstGPT: A Real-world Workload Dataset to Optimize LLM
// Serving Systems", CC-BY 4.0): CSV with Timestamp (seconds), Model, Request tokens,
// Response tokens, Total tokens, Log Type. Response tokens of 0 mark failed calls; the
// reader returns them as they are and the workload decides.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sim/csv_file.hpp"
#include "sim/trace_reader.hpp"

namespace autoglm::sim {

class BurstGptTraceReader final : public TraceReader {
 public:
  static core::Result<std::unique_ptr<TraceReader>> open(const std::string& path);
  core::Result<bool> next(TraceRecord& out) override;

 private:
  explicit BurstGptTraceReader(CsvFile csv) : csv_(std::move(csv)) {}

  CsvFile csv_;
  std::size_t timestamp_col_ = 0, request_col_ = 0, response_col_ = 0;
  std::optional<std::size_t> model_col_;
  bool have_origin_ = false;
  double origin_s_ = 0;
};

}  // namespace autoglm::sim
