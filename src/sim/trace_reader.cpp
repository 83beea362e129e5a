#include "sim/trace_reader.hpp"

#include "sim/azure_trace.hpp"
#include "sim/burstgpt_trace.hpp"
#include "sim/mooncake_trace.hpp"
#include "sim/step_spreader.hpp"

namespace autoglm::sim {
namespace {

struct FormatName {
  TraceFormat format;
  std::string_view name;
};
constexpr FormatName kFormats[] = {
    {TraceFormat::kAzure, "azure"},
    {TraceFormat::kMooncake, "mooncake"},
    {TraceFormat::kBurstGpt, "burstgpt"},
};

}  // namespace

std::string_view trace_format_name(TraceFormat format) {
  for (const auto& f : kFormats) {
    if (f.format == format) return f.name;
  }
  return "unknown";
}

std::optional<TraceFormat> trace_format_from_name(std::string_view name) {
  for (const auto& f : kFormats) {
    if (f.name == name) return f.format;
  }
  return std::nullopt;
}

std::string trace_format_names() {
  std::string out;
  for (const auto& f : kFormats) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

core::Result<std::unique_ptr<TraceReader>> open_trace(TraceFormat format, const std::string& path,
                                                      const TraceOpenOptions& options) {
  core::Result<std::unique_ptr<TraceReader>> reader = core::invalid_argument("unknown format");
  bool coarse = false;
  switch (format) {
    case TraceFormat::kAzure:
      reader = AzureTraceReader::open(path);
      break;
    case TraceFormat::kMooncake:
      reader = MooncakeTraceReader::open(path);
      coarse = true;
      break;
    case TraceFormat::kBurstGpt:
      reader = BurstGptTraceReader::open(path);
      coarse = true;
      break;
  }
  if (!reader || !coarse || !options.spread_steps) return reader;
  return std::unique_ptr<TraceReader>(
      std::make_unique<StepSpreader>(std::move(*reader), options.seed));
}

}  // namespace autoglm::sim
