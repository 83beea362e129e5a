#include "sched/running_set.hpp"

#include <algorithm>
#include <utility>

namespace autoglm::sched {

RunningTask* RunningSet::find(core::TaskId id) {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second.task;
}

const RunningTask* RunningSet::find(core::TaskId id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second.task;
}

void RunningSet::add(RunningTask task, std::size_t node_count) {
  if (by_node_.size() < node_count) by_node_.resize(node_count);
  task.dispatch_seq = next_seq_++;
  auto& list = by_node_[task.node];
  const core::TaskId id = task.spec.id;
  if (task.spec.preemptible) preemptible_.emplace(task.dispatch_seq, id);
  list.push_back(id);
  tasks_.emplace(id, Entry{std::move(task), list.size() - 1});
}

RunningTask RunningSet::take(core::TaskId id) {
  auto it = tasks_.find(id);
  Entry entry = std::move(it->second);
  tasks_.erase(it);
  auto& list = by_node_[entry.task.node];
  if (entry.node_pos != list.size() - 1) {
    list[entry.node_pos] = list.back();
    tasks_.at(list[entry.node_pos]).node_pos = entry.node_pos;
  }
  list.pop_back();
  if (entry.task.spec.preemptible) preemptible_.erase(entry.task.dispatch_seq);
  return std::move(entry.task);
}

std::vector<core::TaskId> RunningSet::on_node(core::NodeIndex node) const {
  if (node >= by_node_.size()) return {};
  std::vector<core::TaskId> ids = by_node_[node];
  std::sort(ids.begin(), ids.end(), [this](core::TaskId a, core::TaskId b) {
    return tasks_.at(a).task.dispatch_seq < tasks_.at(b).task.dispatch_seq;
  });
  return ids;
}

}  // namespace autoglm::sched
