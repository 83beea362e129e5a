#include "policy/scorers/prefix_affinity.hpp"

#include <algorithm>
#include <limits>

namespace autoglm::policy {

PrefixAffinityScorer::PrefixAffinityScorer(Options options)
    : options_(options), index_(options.blocks_per_node) {}

void PrefixAffinityScorer::clear_matches() {
  for (const NodeIndex n : touched_) matched_[n] = 0;
  touched_.clear();
}

void PrefixAffinityScorer::prepare(const TaskSpec& task, const Context& /*ctx*/) {
  clear_matches();
  min_load_ = std::numeric_limits<int>::max();
  max_load_ = 0;
  measured_ = 0;
  prefix_len_ = task.prefix_hashes.size();
  preferred_ = task.preferred_node;
  if (prefix_len_ == 0) return;
  if (matched_.size() < index_.node_slots()) matched_.resize(index_.node_slots(), 0);
  index_.match(task.prefix_hashes, matched_, touched_);
}

void PrefixAffinityScorer::measure(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                                   std::span<const NodeIndex> slice, std::span<double> out,
                                   const Context& /*ctx*/) {
  if (loads_.size() < measured_ + slice.size()) {
    loads_.resize(std::max(measured_ + slice.size(), 2 * loads_.size()));
  }
  // matched_ covers every node (zero past the index's nodes; it only grows), so one loop
  // reads the match and the load of each candidate without a bounds check (unrolled, as
  // measure_each).
  if (matched_.size() < nodes.size()) matched_.resize(nodes.size(), 0);
  const std::uint32_t* matched = matched_.data();
  const double inv_len = prefix_len_ > 0 ? 1.0 / static_cast<double>(prefix_len_) : 0.0;
  int* loads = loads_.data() + measured_;
  int lo = min_load_;
  int hi = max_load_;
#pragma GCC unroll 4
  for (std::size_t i = 0; i < slice.size(); ++i) {
    const NodeIndex c = slice[i];
    const int load = std::max(0, nodes[c].in_flight);
    loads[i] = load;
    lo = std::min(lo, load);
    hi = std::max(hi, load);
    out[i] = matched[c] * inv_len;  // 0 where no block matched, or the task has none
  }
  min_load_ = lo;
  max_load_ = hi;
  measured_ += slice.size();
  if (preferred_) {  // the hinted node holds the prefix: a full match
    for (std::size_t i = 0; i < slice.size(); ++i) {
      if (slice[i] == *preferred_) out[i] = 1.0;
    }
  }
}

void PrefixAffinityScorer::normalise(const TaskSpec& /*task*/, std::span<const NodeView> nodes,
                                     std::span<const NodeIndex> candidates,
                                     std::span<double> values, const Context& /*ctx*/) {
  if (measured_ != candidates.size()) {  // not measured as these candidates: read the loads
    measured_ = 0;
    min_load_ = std::numeric_limits<int>::max();
    max_load_ = 0;
    for (const NodeIndex c : candidates) {
      const int load = std::max(0, nodes[c].in_flight);
      if (loads_.size() <= measured_) loads_.resize(candidates.size());
      loads_[measured_++] = load;
      min_load_ = std::min(min_load_, load);
      max_load_ = std::max(max_load_, load);
    }
  }
  const int lo = min_load_;
  const int hi = max_load_;
  if (hi - lo > options_.balance_abs && hi > options_.balance_rel * lo) {  // hi > 0 here
    const double inv = 1.0 / hi;
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = 1.0 - loads_[i] * inv;
  }
  clear_matches();
  measured_ = 0;
}

void PrefixAffinityScorer::on_dispatch(const TaskSpec& task, const NodeView& node) {
  index_.insert(node.index, task.prefix_hashes);
}

void PrefixAffinityScorer::on_node_reset(NodeIndex node) {
  clear_matches();
  index_.erase_node(node);
}

}  // namespace autoglm::policy
