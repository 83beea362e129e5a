// Node-choice policies as pipelines: filters -> weighted scorers -> picker.
// Each part is one small class in one file under filters/, scorers/ or pickers/,
// registered by name in registry.cpp; the scheduler core never names a concrete part.
// Parts are owned by one Pipeline and called only from the scheduler's strand.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/node_view.hpp"
#include "core/task.hpp"

namespace autoglm::policy {

using core::NodeIndex;
using core::NodeView;
using core::TaskSpec;
using Rng = std::mt19937_64;

// Thresholds the filters apply; from `scheduler:` config.
struct Thresholds {
  double cpu_pause = 0.85;           // above: no new dispatches (below_cpu_threshold)
  double memory_evacuate = 0.90;     // above: queued work moves elsewhere (sched/)
  int max_backend_waiting = 8;       // backend queue above: saturated
  double max_kv_cache_usage = 0.95;  // backend KV use above: saturated
  double batch_reserve = 0.2;        // share of a node's capacity kept for interactive work
};

// What every part may read besides the task and the nodes. Pipeline::choose fills a missing
// `thresholds` (defaults) or `rng` (its own seeded one), so parts may assume both are set.
struct Context {
  core::Time now{0};
  const Thresholds* thresholds = nullptr;
  Rng* rng = nullptr;
  // True when every starting candidate (`eligible`) is known to serve the task's model, as
  // with the scheduler core's per-model node index: serves_model then skips its string
  // compares. Ignored when choose() starts from all nodes.
  bool eligible_serve_model = false;
};

class Filter {
 public:
  virtual ~Filter() = default;
  virtual std::string_view name() const = 0;
  // Keeps in `candidates` only the nodes this filter allows (order preserved). A filter
  // decides node by node: the pipeline may call it on slices of the candidate list.
  virtual void apply(const TaskSpec& task, std::span<const NodeView> nodes,
                     std::vector<NodeIndex>& candidates, const Context& ctx) const = 0;
  // The same test for a single node (pickers that sample, e.g. p2c, use it).
  virtual bool allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const = 0;
};

// A scorer works in two steps so the pipeline can measure each slice of candidates while
// the filters have just brought its node views into cache:
//   measure:   a value per candidate that depends only on that node (and the task),
//   normalise: turns all candidates' values into scores in [0, 1], higher is better
//              (e.g. relative to the best candidate).
// score() runs both over a whole candidate list.
class Scorer {
 public:
  virtual ~Scorer() = default;
  virtual std::string_view name() const = 0;

  // Writes a score in [0, 1] (higher is better) for each candidate into `out` (same length
  // as candidates). Normalisation across candidates is allowed.
  void score(const TaskSpec& task, std::span<const NodeView> nodes,
             std::span<const NodeIndex> candidates, std::span<double> out, const Context& ctx) {
    prepare(task, ctx);
    measure(task, nodes, candidates, out, ctx);
    normalise(task, nodes, candidates, out, ctx);
  }

  // Once per decision, before the first measure (e.g. look the task up in an index).
  virtual void prepare(const TaskSpec&, const Context&) {}
  // Writes the per-node value of each candidate of `slice` into `out` (same length). The
  // pipeline calls it on consecutive slices, in candidate order, once per candidate.
  virtual void measure(const TaskSpec& task, std::span<const NodeView> nodes,
                       std::span<const NodeIndex> slice, std::span<double> out,
                       const Context& ctx) = 0;
  // Turns the measured values of all candidates into scores, in place. Default: the values
  // already are scores.
  virtual void normalise(const TaskSpec&, std::span<const NodeView>, std::span<const NodeIndex>,
                         std::span<double>, const Context&) {}

  // Observes a dispatch (stateful scorers such as prefix_affinity learn from it).
  virtual void on_dispatch(const TaskSpec&, const NodeView&) {}
  // Observes that a node left or was reset (drop what was learned about it).
  virtual void on_node_reset(NodeIndex) {}
};

struct Candidate {
  NodeIndex node = 0;
  double score = 0;
};

class Picker {
 public:
  virtual ~Picker() = default;
  virtual std::string_view name() const = 0;
  // Chooses one of `scored` (non-empty); returns its position in `scored`.
  virtual std::size_t pick(std::span<const Candidate> scored, Rng& rng) = 0;
  // True for pickers that only look at a random sample (p2c): the pipeline then scores
  // just the sampled nodes instead of every candidate.
  virtual int sample_size() const { return 0; }
};

}  // namespace autoglm::policy
