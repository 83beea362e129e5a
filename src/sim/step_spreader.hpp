// StepSpreader: a TraceReader over another one whose timestamps are coarse (Mooncake's ~3 s
// steps, BurstGPT's whole seconds). Records sharing a timestamp t are spread uniformly at
// random over [t, t'), t' being the next distinct timestamp (the last step reuses the
// previous step's width), keeping their file order; a lone record keeps its timestamp.
// Replaying every record of a step at one instant would turn a steady trace into bursts.
// Streams: it holds one step's records at a time. Not thread-safe.
#pragma once

#include <memory>
#include <random>
#include <vector>

#include "sim/trace_reader.hpp"

namespace autoglm::sim {

class StepSpreader final : public TraceReader {
 public:
  StepSpreader(std::unique_ptr<TraceReader> inner, std::uint64_t seed);
  core::Result<bool> next(TraceRecord& out) override;

 private:
  core::Status fill_step();

  std::unique_ptr<TraceReader> inner_;
  std::mt19937_64 rng_;
  std::vector<TraceRecord> step_;  // the current step's records
  std::size_t served_ = 0;         // of step_
  TraceRecord lookahead_;          // first record of the next step, when have_lookahead_
  bool have_lookahead_ = false;
  bool inner_done_ = false;
  double last_width_ = 0;
  std::vector<double> offsets_;    // scratch
};

}  // namespace autoglm::sim
