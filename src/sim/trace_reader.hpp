// Trace readers: request traces from public datasets (Azure LLM inference, Mooncake,
// BurstGPT), read one record at a time so a trace of any length streams through a small
// buffer. One reader per format, each in its own file; open_trace() picks by format.
// Readers are not thread-safe: one owner reads a trace from start to end.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::sim {

// One request as the trace tells it, before any workload shaping.
struct TraceRecord {
  double arrival_s = 0;             // seconds after the trace's first record
  std::int64_t input_tokens = 0;    // prompt tokens
  std::int64_t output_tokens = 0;   // generated tokens (0 in BurstGPT means the call failed)
  // Mooncake's hash_ids: one id per 512-token block of the prompt, first block first; equal
  // ids are shareable KV blocks. Empty for formats without prefix information.
  std::vector<std::uint64_t> block_ids;
  std::string model;                // BurstGPT's Model column; empty otherwise
  std::size_t line = 0;             // 1-based line of the file the record came from
};

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Reads the next record into `out` (all fields overwritten): true, or false at the end
  // of the trace. A malformed record is a kInvalidArgument error "<file>:<line>: <what>";
  // reading stops there.
  virtual core::Result<bool> next(TraceRecord& out) = 0;
};

enum class TraceFormat { kAzure, kMooncake, kBurstGpt };

std::string_view trace_format_name(TraceFormat format);
std::optional<TraceFormat> trace_format_from_name(std::string_view name);
std::string trace_format_names();  // "azure, mooncake, burstgpt"

// Block size of Mooncake's hash_ids, in tokens.
inline constexpr std::int64_t kTraceBlockTokens = 512;

struct TraceOpenOptions {
  // Mooncake and BurstGPT timestamps are coarse (3 s steps, whole seconds): records that
  // share a timestamp are spread uniformly over the step up to the next distinct timestamp,
  // with this seed (see StepSpreader). false: keep the timestamps as written.
  bool spread_steps = true;
  std::uint64_t seed = 1;
};

// Opens `path` with the reader for `format`. kNotFound when the file cannot be opened;
// header errors (a missing CSV column) come from here too.
core::Result<std::unique_ptr<TraceReader>> open_trace(TraceFormat format, const std::string& path,
                                                      const TraceOpenOptions& options = {});

}  // namespace autoglm::sim
