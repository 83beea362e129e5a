// Tasks the scheduler has placed and not yet seen finish: where each runs, whether it has
// started, and the orders preemption and evacuation walk them in.
// Threading: not thread-safe; owned by the scheduler core.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/node_view.hpp"
#include "core/task.hpp"

namespace autoglm::sched {

struct RunningTask {
  core::TaskSpec spec;
  core::Time arrival{0};  // first arrival, kept when the task is requeued
  core::NodeIndex node = 0;
  std::uint64_t dispatch_seq = 0;  // larger: dispatched more recently
  bool started = false;            // the node sent its first byte
};

class RunningSet {
 public:
  bool empty() const { return tasks_.empty(); }
  std::size_t size() const { return tasks_.size(); }
  RunningTask* find(core::TaskId id);
  const RunningTask* find(core::TaskId id) const;

  // REQUIRES: the id is not running. Assigns dispatch_seq.
  void add(RunningTask task, std::size_t node_count);
  // REQUIRES: find(id) != nullptr.
  RunningTask take(core::TaskId id);

  // The dispatch_seq the next add() will assign.
  std::uint64_t next_seq() const { return next_seq_; }
  // Running tasks on `node`, oldest dispatch first.
  std::vector<core::TaskId> on_node(core::NodeIndex node) const;
  // Preemptible running tasks, most recently dispatched first.
  template <typename Visit>  // bool visit(const RunningTask&): false stops the walk
  void for_each_preemptible_newest_first(Visit visit) const {
    for (auto it = preemptible_.rbegin(); it != preemptible_.rend(); ++it) {
      if (!visit(tasks_.at(it->second).task)) return;
    }
  }

 private:
  struct Entry {
    RunningTask task;
    std::size_t node_pos = 0;  // position in by_node_[task.node]
  };
  std::unordered_map<core::TaskId, Entry> tasks_;
  std::vector<std::vector<core::TaskId>> by_node_;
  std::map<std::uint64_t, core::TaskId> preemptible_;  // dispatch_seq -> task
  std::uint64_t next_seq_ = 1;
};

}  // namespace autoglm::sched
