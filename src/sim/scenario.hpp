// Scenarios: what `autoglm simulate` runs, read from scenarios/*.yaml: a cluster (node
// groups of a GPU profile, failure windows), a workload (a trace or a synthetic generator,
// shaped by rate scaling, prefix groups, priority and modality mixes), the client timeout,
// the policies to compare, the seed and a duration cap. docs/simulator.md is the reference.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "policy/pipeline.hpp"
#include "sched/scheduler.hpp"
#include "sim/simulator.hpp"
#include "sim/workload.hpp"

namespace autoglm::sim {

struct Scenario {
  std::string name;          // `name:`, else the file name without .yaml
  std::string description;
  std::uint64_t seed = 1;
  std::vector<std::string> policies;  // preset or `pipelines` names, in report order
  // `pipelines:` composed policies, as in the gateway's scheduler.pipelines.
  std::map<std::string, policy::PipelineSpec> pipelines;
  core::Duration client_timeout{0};   // 0: clients wait as long as it takes
  ClusterSpec cluster;
  WorkloadSpec workload;              // its duration_s is the scenario's duration cap
  sched::SchedulerOptions scheduler;
  core::Duration metrics_interval{0};
};

// Parses a scenario. `origin` names the file in errors ("<origin>:<line>: <key>: <what>");
// relative trace paths are resolved against `base_dir` (the scenario file's folder).
// Profiles and policies are checked against the built-in ones.
core::Result<Scenario> parse_scenario(const std::string& yaml, const std::string& origin,
                                      const std::string& base_dir);
// Reads and parses a scenario file.
core::Result<Scenario> load_scenario(const std::string& path);

// Whether `name` is a preset or one of the scenario's pipelines.
bool knows_policy(const Scenario& scenario, const std::string& name);

// The options for one policy's run of a scenario (its pipeline, when `policy` names one).
SimulationOptions simulation_options(const Scenario& scenario, const std::string& policy);

}  // namespace autoglm::sim
