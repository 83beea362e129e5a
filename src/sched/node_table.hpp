// The scheduler's node table: NodeViews by stable index, the model -> nodes index handed to
// policies as their starting candidates, the core's own dispatch guard, and slot accounting.
// Threading: not thread-safe; owned by the scheduler core.
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/node_view.hpp"
#include "core/task.hpp"
#include "policy/policy.hpp"

namespace autoglm::sched {

// The core's guard, applied whatever the policy says: a node takes new work only when it
// is healthy, not draining, below its capacity (when it has one), not above the CPU pause
// threshold and not above the memory evacuation threshold. Unreported metrics (< 0) pass.
bool accepts_work(const core::NodeView& node, const policy::Thresholds& thresholds);
// The same test ignoring capacity: would one free slot let the node take work?
bool accepts_work_if_slot_free(const core::NodeView& node, const policy::Thresholds& thresholds);
bool above_memory_threshold(const core::NodeView& node, const policy::Thresholds& thresholds);

class NodeTable {
 public:
  // Sets node.index to its position; the index never changes.
  core::NodeIndex add(core::NodeView node);

  std::size_t size() const { return nodes_.size(); }
  bool contains(core::NodeIndex node) const { return node < nodes_.size(); }
  core::NodeView& at(core::NodeIndex node) { return nodes_[node]; }
  const core::NodeView& at(core::NodeIndex node) const { return nodes_[node]; }
  std::span<const core::NodeView> views() const { return nodes_; }
  std::span<core::NodeView> mutable_views() { return nodes_; }

  // All nodes that serve `model`, whatever their state, by index; nullptr when none.
  const std::vector<core::NodeIndex>* serving(const std::string& model) const;
  // Those of them the guard lets take work now, into `out` (cleared first).
  void accepting(const std::string& model, const policy::Thresholds& thresholds,
                 std::vector<core::NodeIndex>& out) const;
  // The first model of the first node that serves one; nullptr when there is none.
  const std::string* first_model() const;

  // Slot accounting for a task placed on / leaving `node`.
  void occupy(core::NodeIndex node, const core::TaskSpec& task);
  void release(core::NodeIndex node, const core::TaskSpec& task);

 private:
  std::vector<core::NodeView> nodes_;
  std::unordered_map<std::string, std::vector<core::NodeIndex>> by_model_;
};

}  // namespace autoglm::sched
