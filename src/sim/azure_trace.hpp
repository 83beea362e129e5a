// The Azure LLM inference trace (Azure Public Dataset, AzureLLMInferenceTrace_{conv,code}.csv,
// from Splitwise, ISCA'24; CC-BY 4.0): CSV with TIMESTAMP, ContextTokens, GeneratedTokens.
// Timestamps look like "2023-11-16 18:15:46.6805900" (UTC, up to 9 fractional digits).
#pragma once

#include <memory>
#include <string>

#include "sim/csv_file.hpp"
#include "sim/trace_reader.hpp"

namespace autoglm::sim {

class AzureTraceReader final : public TraceReader {
 public:
  static core::Result<std::unique_ptr<TraceReader>> open(const std::string& path);
  core::Result<bool> next(TraceRecord& out) override;

 private:
  explicit AzureTraceReader(CsvFile csv) : csv_(std::move(csv)) {}

  CsvFile csv_;
  std::size_t timestamp_col_ = 0, context_col_ = 0, generated_col_ = 0;
  bool have_origin_ = false;
  std::int64_t origin_seconds_ = 0;  // whole seconds of the first record since 1970
  double origin_fraction_ = 0;
};

// Parses "YYYY-MM-DD HH:MM:SS[.fraction]" (a 'T' may separate date and time) into whole
// seconds since 1970-01-01 and the fraction of a second. False if malformed.
bool parse_azure_timestamp(std::string_view text, std::int64_t& seconds, double& fraction);

}  // namespace autoglm::sim
