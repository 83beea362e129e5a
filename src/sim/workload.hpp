// Workloads for the cluster simulator: the requests to replay, in arrival order, built from
// a trace (with a time window and rate scaling) or generated (Poisson or Gamma arrivals,
// length distributions), then shaped by shared-prefix groups, a priority mix and a
// multimodal mix. Everything random is drawn from the seed: a seed gives one workload.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "core/task.hpp"
#include "sim/distributions.hpp"
#include "sim/trace_reader.hpp"

namespace autoglm::sim {

// Prompt-prefix blocks are 512 tokens, as in Mooncake's hash_ids.
inline constexpr std::int64_t kPrefixBlockTokens = kTraceBlockTokens;

struct Request {
  core::Time arrival{0};             // since the start of the run
  std::int64_t input_tokens = 1;     // >= 1
  std::int64_t output_tokens = 1;    // what the engine will generate, >= 1
  std::int64_t max_output_tokens = 1;  // what the scheduler is told (TaskSpec)
  core::PriorityClass priority_class = core::PriorityClass::kStandard;
  int priority_level = 5;
  core::LatencyClass latency = core::LatencyClass::kInteractive;
  core::Modality modality = core::Modality::kText;
  bool preemptible = false;
  // Chained hashes of the prompt's 512-token blocks, first block first: equal leading
  // hashes mean equal prefixes. Empty when nothing is known about the prompt's content.
  std::vector<std::uint64_t> prefix_hashes;
};

struct Workload {
  std::string model;
  std::vector<Request> requests;  // sorted by arrival
  std::string description;        // "azure trace x.csv, 0-600 s, rate x2" ...
};

struct TraceSource {
  TraceFormat format = TraceFormat::kAzure;
  std::string path;                  // resolved
  double start_s = 0;                // window, in trace seconds from its first record
  std::optional<double> end_s;
  std::string model_filter;          // BurstGPT: keep only this Model; "" keeps all
  bool spread_steps = true;          // see TraceOpenOptions
};

struct SyntheticSource {
  ArrivalProcess arrival;
  LengthDistribution input{LengthDistribution::Kind::kFixed, 512};
  LengthDistribution output{LengthDistribution::Kind::kFixed, 128};
  std::int64_t requests = 0;         // stop after this many (0: only the duration stops it)
};

// Requests of a group share a `tokens`-long prompt prefix (a system prompt, a document):
// a `share` of all requests belong to one of `groups` groups, chosen uniformly, and their
// prompt is that prefix followed by their own drawn length. Requests that already carry
// prefix blocks (Mooncake) are left alone.
struct PrefixGroups {
  int groups = 0;
  std::int64_t tokens = 0;
  double share = 0;
};

// Relative weights of the priority classes (critical, standard, batch, sheddable). Batch
// and sheddable requests are latency class batch; batch requests are preemptible.
struct PriorityMix {
  std::array<double, core::kPriorityClassCount> weights{0, 1, 0, 0};
};

// Shares of image and audio requests; their encoder tokens are added to the prompt.
struct ModalityMix {
  double vision = 0;
  double speech = 0;
  std::int64_t vision_tokens = 576;
  std::int64_t speech_tokens = 300;
};

struct WorkloadSpec {
  std::variant<TraceSource, SyntheticSource> source;
  std::string model;
  // Replay speed: 2 compresses time so requests arrive twice as fast; 0.5 stretches it.
  double rate_scale = 1;
  // Arrivals after this many seconds of the (scaled) run are dropped.
  std::optional<double> duration_s;
  PrefixGroups prefix_groups;
  PriorityMix priority;
  ModalityMix modality;
  // What the scheduler is told as max_output_tokens: the request's real output length
  // (nullopt; an oracle no live gateway has) or this fixed cap.
  std::optional<std::int64_t> max_output_tokens;
};

// Builds the workload. Trace errors carry "<file>:<line>"; a synthetic source needs
// `requests` or `duration_s`.
core::Result<Workload> build_workload(const WorkloadSpec& spec, std::uint64_t seed);

// The chained hash of block `id` after a prefix whose hash is `previous` (0 for the first).
std::uint64_t chain_block_hash(std::uint64_t previous, std::uint64_t id);

}  // namespace autoglm::sim
