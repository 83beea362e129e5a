// The cluster simulator: replays a workload through ONE real sched::Scheduler (the policy
// under test: a preset or a composed PipelineSpec) and one sim::Engine per node, in virtual
// time on a core::ManualClock. Events: arrivals, engine iteration ends, scheduler ticks (with the
// nodes' metrics), failure windows and client timeouts, from a binary heap. The scheduler's
// actions (placements, cancellations, rejections) are carried out on the engines at once.
// Deterministic: the same inputs and seed give the same result. Reads no wall clock.
// Not thread-safe; independent runs may go on different threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "policy/pipeline.hpp"
#include "sched/scheduler.hpp"
#include "sim/gpu_profile.hpp"
#include "sim/time_series.hpp"
#include "sim/workload.hpp"

namespace autoglm::sim {

struct SimNodeSpec {
  std::string id;      // e.g. "h100-80gb-8b-0"
  GpuProfile profile;
  std::string model;   // the model it serves
};

// The node is down from `from` to `to`: its running requests fail at `from`, and the
// scheduler sees it unhealthy until `to`, when it comes back with an empty cache.
struct FailureWindow {
  std::size_t node = 0;  // index into ClusterSpec::nodes
  core::Time from{0};
  core::Time to{0};
};

struct ClusterSpec {
  std::vector<SimNodeSpec> nodes;
  std::vector<FailureWindow> failures;
};

struct SimulationOptions {
  std::string policy = "round_robin";  // a preset of policy::preset(), or `pipeline`'s label
  // A composed pipeline to run instead of the preset `policy` names (scenario `pipelines:`,
  // `autoglm tune`).
  std::optional<policy::PipelineSpec> pipeline;
  std::uint64_t seed = 1;              // the scheduler's random choices
  core::Duration client_timeout{0};    // a request not done by then is abandoned; 0: none
  sched::SchedulerOptions scheduler;   // its `tick` is the tick period
  core::Duration metrics_interval{0};  // node metrics pushed this often; 0: every tick
  // Called now and then with the share of requests that have ended (0..1).
  std::function<void(double)> progress;
  // Records SimulationResult::series every this much simulated time from the first
  // arrival; 0 records nothing. Memory is bounded (see TimeSeries).
  core::Duration sample_interval{0};
  std::size_t max_samples = 1024;
};

enum class Outcome : std::uint8_t {
  kPending,  // never ended (a bug if seen after a run)
  kSuccess,  // completed within the client timeout
  kShed,     // rejected by the scheduler (queue full, shed for more important work)
  kTimeout,  // the client timed out, or it waited in the scheduler queue past its timeout
  kFailed,   // its node failed, or the node could not hold it (KV cache too small)
};

inline constexpr std::uint32_t kNoNode = 0xffffffffu;

struct RequestResult {
  Outcome outcome = Outcome::kPending;
  std::uint32_t node = kNoNode;    // the node it last ran on
  std::uint8_t ends = 0;           // times it ended: 1 after a correct run
  std::uint8_t placements = 0;     // times the scheduler placed it
  core::Time end{0};
  core::Duration ttft{-1};         // arrival to first token; -1 without one
  core::Duration e2e{0};           // arrival to end
  std::int64_t cached_tokens = 0;  // prompt tokens found in the node's prefix cache
};

struct NodeResult {
  std::string id;
  std::string profile;
  std::uint64_t placements = 0;
  double peak_tokens_per_s = 0;     // prefill throughput at saturation: weighs its utilisation
  double busy_s = 0;                // time spent in iterations, whole run
  double busy_offered_s = 0;        // of which while requests were arriving (see below)
  double down_s = 0;
  std::int64_t preemptions = 0;     // the engine's recompute preemptions
  std::int64_t generated_tokens = 0;
};

struct SimulationResult {
  std::string policy;
  std::vector<RequestResult> requests;  // by workload position
  std::vector<NodeResult> nodes;
  core::Time start{0};                  // the first arrival
  core::Time end{0};                    // the last request's end
  core::Time last_arrival{0};           // [start, last_arrival]: while load was offered
  std::uint64_t events = 0;             // events processed (arrivals included)
  std::int64_t prompt_tokens_placed = 0;
  std::int64_t cached_tokens_placed = 0;
  std::uint64_t too_long = 0;           // refused by an engine: would never fit its KV cache
  std::uint64_t scheduler_preempted = 0;
  std::uint64_t scheduler_evacuated = 0;
  TimeSeries series;                    // empty unless options.sample_interval > 0
};

// Runs the workload on the cluster under one policy (options.pipeline, else the preset
// options.policy). kInvalidArgument for an unknown policy or pipeline part, an empty
// cluster or a workload model no node serves.
core::Result<SimulationResult> simulate(const ClusterSpec& cluster, const Workload& workload,
                                        const SimulationOptions& options);

}  // namespace autoglm::sim
