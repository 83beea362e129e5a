// The Mooncake traces (Mooncake, FAST'25, FAST25-release/traces/*.jsonl; Apache-2.0): one
// JSON object per line, {"timestamp": ms, "input_length", "output_length", "hash_ids": [...]},
// where hash_ids name the prompt's 512-token blocks (equal ids are shareable KV blocks).
// This reader returns timestamps as written; open_trace() wraps it in a StepSpreader because
// the conversation trace's timestamps come in ~3 s steps.
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "sim/trace_reader.hpp"

namespace autoglm::sim {

class MooncakeTraceReader final : public TraceReader {
 public:
  static core::Result<std::unique_ptr<TraceReader>> open(const std::string& path);
  core::Result<bool> next(TraceRecord& out) override;

 private:
  explicit MooncakeTraceReader(std::string path) : path_(std::move(path)) {}
  core::Status error(const std::string& what) const;

  std::string path_;
  std::ifstream in_;
  std::string text_;
  std::size_t line_ = 0;
  bool have_origin_ = false;
  double origin_ms_ = 0;
};

}  // namespace autoglm::sim
