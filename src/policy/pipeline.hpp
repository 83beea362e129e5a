// A Pipeline is one named policy: its filters, weighted scorers and picker, and the
// decision it made for a task, with the top candidates' scores so users can see why.
// Threading: a Pipeline and its parts are owned by the scheduler core and used only from its
// strand (parts keep scratch buffers and learned state); nothing here locks.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "policy/policy.hpp"

namespace autoglm::policy {

struct WeightedScorer {
  std::unique_ptr<Scorer> scorer;
  double weight = 1.0;
};

// Why a node was chosen: the policy, the winner and the best candidates' total scores.
struct Decision {
  std::optional<NodeIndex> node;  // empty: no node passed the filters
  std::string policy;
  std::vector<Candidate> top;  // best first, at most `explain_top`; total score in [0, 1]
  std::string rejected_by;     // the filter that removed the last candidate, if none left
};

class Pipeline {
 public:
  Pipeline(std::string name, std::vector<std::unique_ptr<Filter>> filters,
           std::vector<WeightedScorer> scorers, std::unique_ptr<Picker> picker);

  const std::string& name() const { return name_; }

  // Chooses a node for `task` among `nodes` (indexed by NodeView::index). `eligible`, when
  // given, is the starting candidate set (e.g. the nodes serving the model); else all nodes.
  // Allocation-free after warm-up: scratch vectors are reused.
  // REQUIRES: every index in `eligible` is < nodes.size(), and nodes[i].index == i.
  // A Context without thresholds or rng gets the defaults and the pipeline's own seeded rng.
  // With a sampling picker (p2c) only a few random nodes are tested and scored, not all.
  Decision choose(const TaskSpec& task, std::span<const NodeView> nodes,
                  const std::vector<NodeIndex>* eligible, const Context& ctx, int explain_top = 0);
  // The same, reusing `out`'s buffers (policy, top, rejected_by): with a Decision kept
  // across calls, a decision allocates nothing once warm.
  void choose_into(Decision& out, const TaskSpec& task, std::span<const NodeView> nodes,
                   const std::vector<NodeIndex>* eligible, const Context& ctx, int explain_top = 0);

  // Every candidate that passes the filters, with its total score (the same total choose
  // ranks by), in candidate order; no sampling and no pick. For snapshots and dashboards.
  void score_all(const TaskSpec& task, std::span<const NodeView> nodes,
                 const std::vector<NodeIndex>* eligible, const Context& ctx,
                 std::vector<Candidate>& out);

  // Tells stateful scorers where a task went.
  void on_dispatch(const TaskSpec& task, const NodeView& node);
  void on_node_reset(NodeIndex node);

  // The parts, for /admin/v1/scheduler and docs, e.g.
  // "filters: healthy, serves_model | scorers: queue_depth*1, energy*0.1 | picker: max_score"
  // ("none" for an empty list).
  std::string describe() const;
  const std::vector<std::unique_ptr<Filter>>& filters() const { return filters_; }
  const Picker& picker() const { return *picker_; }
  const std::vector<WeightedScorer>& scorers() const { return scorers_; }
  std::vector<WeightedScorer>& mutable_scorers() { return scorers_; }

 private:
  Context with_defaults(const Context& ctx, const std::vector<NodeIndex>* eligible);
  void select_scorers();
  bool passes_all(const TaskSpec& task, const NodeView& node, const Context& ctx) const;
  bool sample(const TaskSpec& task, std::span<const NodeView> nodes,
              const std::vector<NodeIndex>* eligible, const Context& ctx, std::size_t k);
  void sample_survivors(std::size_t k, Rng& rng);
  bool filter_and_measure(const TaskSpec& task, std::span<const NodeView> nodes,
                          const std::vector<NodeIndex>* eligible, const Context& ctx, bool measure,
                          Decision& out);
  void finish_scores(const TaskSpec& task, std::span<const NodeView> nodes, const Context& ctx);
  void score_whole(const TaskSpec& task, std::span<const NodeView> nodes, const Context& ctx);
  void fill_scored();

  std::string name_;
  std::vector<std::unique_ptr<Filter>> filters_;
  std::vector<WeightedScorer> scorers_;
  std::unique_ptr<Picker> picker_;
  Rng rng_{0x5eed};  // used when the Context brings no rng
  // Scratch, reused by every decision (no allocation once warm).
  std::vector<NodeIndex> candidates_;          // survivors of the filters, in order
  std::vector<NodeIndex> slice_;               // the slice being filtered and measured
  std::vector<std::size_t> active_;            // scorers with a positive weight
  double total_weight_ = 0;                    // their weights' sum
  std::vector<std::vector<double>> measures_;  // per scorer: its values for candidates_
  std::vector<double> partial_;                // one scorer's scores (sampled path)
  std::vector<double> total_;                  // weighted sums
  std::vector<Candidate> scored_;              // candidates_ with their totals
};

// A pipeline assembled from part names, e.g. filters {"healthy", "serves_model"},
// scorers {{"queue_depth", 1.0}}, picker "max_score". Unknown names are errors that list
// the known ones.
struct PipelineSpec {
  std::string name;
  std::vector<std::string> filters;
  std::vector<std::pair<std::string, double>> scorers;
  std::string picker = "max_score";
};
core::Result<std::unique_ptr<Pipeline>> build_pipeline(const PipelineSpec& spec);

// The named presets (round_robin, random, least_request, p2c, seed_load, resource,
// latency_weighted, prefix_aware, slo_aware, dynamic).
core::Result<PipelineSpec> preset(const std::string& name);
std::vector<std::string> preset_names();

// Registered part names (for errors and docs).
std::vector<std::string> filter_names();
std::vector<std::string> scorer_names();
std::vector<std::string> picker_names();

}  // namespace autoglm::policy
