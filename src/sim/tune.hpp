// `autoglm tune`'s search: fits the weights of a composed policy's scorers to a workload on
// the twin, by random search then coordinate refinement. Pure: it calls the evaluation it is given.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "policy/pipeline.hpp"
#include "sim/report.hpp"

namespace autoglm::sim {

struct TuneParameter {
  std::string name;  // the scorer
  double initial = 1;
  double min = 0;  // 0 lets the search switch the scorer off
  double max = 10;
};

struct TuneOptions {
  int budget = 40;            // evaluations, the starting point included
  std::uint64_t seed = 1;     // the random phase's draws
  double random_share = 0.4;  // of the budget spent on random points before refining
};

struct TuneTrial {
  int index = 0;      // 0-based, in evaluation order
  std::string phase;  // "start", "random" or "refine"
  std::vector<double> weights;
  double score = 0;       // the evaluation's value: lower is better
  bool improved = false;  // the best so far after this trial
};

struct TuneResult {
  std::vector<double> best_weights;
  double best_score = 0;
  double initial_score = 0;
  std::vector<TuneTrial> trials;
};

using TuneEvaluate = std::function<double(const std::vector<double>& weights)>;
using TuneProgress = std::function<void(const TuneTrial& trial, const TuneResult& so_far)>;

// Evaluates the initial weights, then random points (each weight log-uniform over
// [max(min, max/200), max], or 0 with probability 1/5 when min is 0), then refines the best
// one coordinate at a time (0, x2, /2, keeping the first improvement; the factor
// shrinks to its square root after a pass without one) until `budget` evaluations are
// spent or the factor falls below 1.05. Weights are rounded to 3 significant digits and
// a point is never evaluated twice. The same inputs and seed give the same trials.
// REQUIRES: params non-empty; min <= initial <= max for each.
TuneResult tune_weights(const std::vector<TuneParameter>& params, const TuneEvaluate& evaluate,
                        const TuneOptions& options, const TuneProgress& progress = {});

// 3 significant digits (0 stays 0).
double round_weight(double w);

// What `autoglm tune` minimises: the mean end-to-end time in ms over all requests, a
// request that did not succeed counting as `failure_ms` (the client timeout).
double tune_objective(const PolicyReport& report, double failure_ms);

// The scorers of `spec` as parameters (their weights the initial values, range [0, 10] or
// up to twice the weight when larger).
std::vector<TuneParameter> weight_parameters(const policy::PipelineSpec& spec);
// `spec` with its scorers' weights replaced, in order. REQUIRES: one weight per scorer.
policy::PipelineSpec with_weights(policy::PipelineSpec spec, const std::vector<double>& weights);

// The gateway configuration that runs `spec` (docs/configuration.md, scheduler.pipeline):
//   scheduler:\n  pipeline:  # <name>: ...\n    filters: [...]\n    scorers: {...}\n ...
// Scorers weighted 0 are left out (the gateway wants weights > 0). The same map, under
// `pipelines: {<name>: ...}`, defines it in a scenario.
std::string pipeline_yaml(const policy::PipelineSpec& spec, const std::string& name);

}  // namespace autoglm::sim
