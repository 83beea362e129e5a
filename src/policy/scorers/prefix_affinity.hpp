// Scorer `prefix_affinity`: sends a prompt where its prefix is probably cached already.
//   matched = leading block hashes of the task that the node holds (TaskSpec::prefix_hashes
//             are chained, so a node holding block i held blocks 0..i-1 when it was sent them)
//   score   = matched / len(prefix_hashes)          (0 for every node when the task has none)
// Learns in on_dispatch: the node is assumed to keep the blocks it was sent, in a bounded
// per-node LRU (PrefixIndex, `blocks_per_node`, 16k blocks by default).
// Load-balance guard, as in SGLang's cache-aware router: when the candidates' loads
// (NodeView::in_flight) diverge, i.e. max - min > balance_abs and max > balance_rel * min,
// the score is the load score 1 - in_flight / max_in_flight instead, so balance wins over
// affinity until the hot node drains (prefix affinity without a load term collapses under
// skew: llm-d measured ~55% success).
// Reads TaskSpec::prefix_hashes, NodeView::index, in_flight.
// Owned by one Pipeline, called from the scheduler strand; keeps state between calls.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/policy.hpp"
#include "policy/scorers/prefix_index.hpp"

namespace autoglm::policy {

class PrefixAffinityScorer final : public Scorer {
 public:
  struct Options {
    std::size_t blocks_per_node = 16384;
    double balance_rel = 1.5;  // imbalanced when max > balance_rel * min ...
    double balance_abs = 8;    // ... and max - min > balance_abs (requests in flight)
  };

  PrefixAffinityScorer() : PrefixAffinityScorer(Options{}) {}
  explicit PrefixAffinityScorer(Options options);

  std::string_view name() const override { return "prefix_affinity"; }
  void prepare(const TaskSpec& task, const Context& ctx) override;
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
  void normalise(const TaskSpec& task, std::span<const NodeView> nodes,
                 std::span<const NodeIndex> candidates, std::span<double> values,
                 const Context& ctx) override;
  void on_dispatch(const TaskSpec& task, const NodeView& node) override;
  void on_node_reset(NodeIndex node) override;

  const PrefixIndex& index() const { return index_; }

 private:
  void clear_matches();

  Options options_;
  PrefixIndex index_;
  // Per decision: prepare() matches the task once; measure() reads matched_ and tracks the
  // candidates' loads for the balance guard in normalise().
  std::vector<std::uint32_t> matched_;  // by node; zero except for nodes in touched_
  std::vector<NodeIndex> touched_;      // nodes whose matched_ entry is set
  std::size_t prefix_len_ = 0;          // hashes in the task being scored
  std::optional<NodeIndex> preferred_;  // the task's placement hint
  std::vector<int> loads_;              // in_flight of the measured candidates (grows only)
  std::size_t measured_ = 0;            // candidates measured since prepare()
  int min_load_ = 0;                    // smallest and largest of those loads
  int max_load_ = 0;
};

}  // namespace autoglm::policy
