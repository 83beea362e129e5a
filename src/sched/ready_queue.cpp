#include "sched/ready_queue.hpp"

#include <algorithm>
#include <utility>

namespace autoglm::sched {

using detail::kNoSlot;

std::optional<ReadyQueue::Lane> ReadyQueue::lane_of(const std::string& model) const {
  auto it = lane_by_model_.find(model);
  if (it == lane_by_model_.end()) return std::nullopt;
  return it->second;
}

ReadyQueue::Lane ReadyQueue::lane_for(const std::string& model) {
  // Consecutive pushes are mostly for the same model: skip hashing it again.
  if (last_lane_ < lanes_.size() && lanes_[last_lane_].model == model) return last_lane_;
  auto [it, inserted] = lane_by_model_.try_emplace(model, static_cast<Lane>(lanes_.size()));
  if (inserted) {
    lanes_.emplace_back();
    lanes_.back().model = model;
    lanes_.back().run_of_group.assign(kGroups, kNoSlot);
  }
  last_lane_ = it->second;
  return last_lane_;
}

std::uint32_t ReadyQueue::group_of(const core::TaskSpec& spec) {
  const auto level = static_cast<std::uint32_t>(std::clamp(spec.priority_level, 0, 15));
  const std::uint32_t interactive = spec.latency == core::LatencyClass::kInteractive ? 1 : 0;
  return (static_cast<std::uint32_t>(spec.priority_class) * 16 + level) * 2 + interactive;
}

std::uint32_t ReadyQueue::allocate_slot() {
  if (!free_.empty()) {
    const std::uint32_t slot = free_.back();
    free_.pop_back();
    return slot;
  }
  tasks_.emplace_back();
  meta_.emplace_back();
  loose_pos_.push_back(kNoSlot);
  deadline_pos_.push_back(kNoSlot);
  return static_cast<std::uint32_t>(tasks_.size() - 1);
}

void ReadyQueue::link_in_lane(std::uint32_t slot, const core::TaskSpec& spec) {
  Meta& m = meta_[slot];
  LaneData& lane = lanes_[m.lane];
  std::uint32_t& run_index = lane.run_of_group[group_of(spec)];
  if (run_index == kNoSlot) {
    run_index = static_cast<std::uint32_t>(lane.runs.size());
    lane.runs.emplace_back();
    lane.run_pos.push_back(kNoSlot);
  }
  Run& run = lane.runs[run_index];
  if (run.tail == kNoSlot) {  // an empty run: this task is its head
    run.head = run.tail = slot;
    m.run = run_index;
    m.run_prev = m.run_next = kNoSlot;
    lane.runs_by_head.push(LaneEntry{m.key, m.seq, run_index}, lane.run_pos);
  } else if (m.key <= meta_[run.tail].key) {  // in order: append (seq breaks a tie)
    meta_[run.tail].run_next = slot;
    m.run = run_index;
    m.run_prev = run.tail;
    m.run_next = kNoSlot;
    run.tail = slot;
  } else {  // would overtake the run's tail: keep it apart
    m.run = kLoose;
    lane.loose.push(LaneEntry{m.key, m.seq, slot}, loose_pos_);
  }
}

void ReadyQueue::unlink_from_lane(std::uint32_t slot) {
  const Meta& m = meta_[slot];
  LaneData& lane = lanes_[m.lane];
  if (m.run == kLoose) {
    lane.loose.erase_at(loose_pos_[slot], loose_pos_);
    return;
  }
  Run& run = lane.runs[m.run];
  if (m.run_next != kNoSlot) {
    meta_[m.run_next].run_prev = m.run_prev;
  } else {
    run.tail = m.run_prev;
  }
  if (m.run_prev != kNoSlot) {
    meta_[m.run_prev].run_next = m.run_next;
    return;
  }
  // The head left: the run's place among the runs follows its new head.
  run.head = m.run_next;
  const std::uint32_t pos = lane.run_pos[m.run];
  if (run.head == kNoSlot) {
    lane.runs_by_head.erase_at(pos, lane.run_pos);
  } else {
    const Meta& head = meta_[run.head];
    lane.runs_by_head.replace_at(pos, LaneEntry{head.key, head.seq, m.run}, lane.run_pos);
  }
}

void ReadyQueue::push(QueuedTask&& task) {
  const std::uint32_t slot = allocate_slot();
  task.seq = next_seq_++;
  const auto cls = class_index(task.spec.priority_class);
  Meta& m = meta_[slot];
  m.id = task.spec.id;
  m.key = task.key;
  m.seq = task.seq;
  m.lane = lane_for(task.spec.model);
  m.cls = static_cast<std::uint8_t>(cls);
  index_.insert(m.id, slot);
  link_in_lane(slot, task.spec);
  if (task.spec.deadline) {
    deadlines_.push(DeadlineEntry{task.arrival + *task.spec.deadline, task.seq, slot},
                    deadline_pos_);
  }
  tasks_[slot] = std::move(task);

  ClassList& list = classes_[cls];
  m.prev = list.tail;
  m.next = kNoSlot;
  if (list.tail != kNoSlot) {
    meta_[list.tail].next = slot;
  } else {
    list.head = slot;
  }
  list.tail = slot;
  ++list.count;
}

QueuedTask ReadyQueue::release(std::uint32_t slot) {
  unlink_from_lane(slot);
  if (deadline_pos_[slot] != kNoSlot) deadlines_.erase_at(deadline_pos_[slot], deadline_pos_);

  const Meta& m = meta_[slot];
  ClassList& list = classes_[m.cls];
  if (m.prev != kNoSlot) {
    meta_[m.prev].next = m.next;
  } else {
    list.head = m.next;
  }
  if (m.next != kNoSlot) {
    meta_[m.next].prev = m.prev;
  } else {
    list.tail = m.prev;
  }
  --list.count;

  index_.erase(m.id);
  free_.push_back(slot);
  return std::move(tasks_[slot]);
}

const QueuedTask* ReadyQueue::find(core::TaskId id) const {
  const std::uint32_t slot = index_.find(id);
  return slot == detail::TaskIndex::kMissing ? nullptr : &tasks_[slot];
}

std::optional<QueuedTask> ReadyQueue::remove(core::TaskId id) {
  const std::uint32_t slot = index_.find(id);
  if (slot == detail::TaskIndex::kMissing) return std::nullopt;
  return release(slot);
}

std::array<std::size_t, ReadyQueue::kClassCount> ReadyQueue::sizes() const {
  std::array<std::size_t, kClassCount> out{};
  for (std::size_t c = 0; c < kClassCount; ++c) out[c] = classes_[c].count;
  return out;
}

std::uint32_t ReadyQueue::top_slot(Lane lane) const {
  const LaneData& l = lanes_[lane];
  if (l.runs_by_head.empty()) return l.loose.empty() ? kNoSlot : l.loose.top().slot;
  const LaneEntry& run = l.runs_by_head.top();
  if (!l.loose.empty() && LaneBefore{}(l.loose.top(), run)) return l.loose.top().slot;
  return l.runs[run.slot].head;
}

const QueuedTask* ReadyQueue::top(Lane lane) const {
  const std::uint32_t slot = top_slot(lane);
  return slot == kNoSlot ? nullptr : &tasks_[slot];
}

QueuedTask ReadyQueue::pop(Lane lane) {
  QueuedTask task = release(top_slot(lane));
  // The next pop (or the walk's look at the next head) reads the new top's task: start
  // fetching it now, since deep queues keep most tasks out of cache.
  const std::uint32_t next = top_slot(lane);
  if (next != kNoSlot) {
    __builtin_prefetch(&tasks_[next]);
    __builtin_prefetch(&meta_[next]);
  }
  return task;
}

const QueuedTask* ReadyQueue::top() const {
  const QueuedTask* best = nullptr;
  for (Lane lane = 0; lane < lanes_.size(); ++lane) {
    const QueuedTask* t = top(lane);
    if (t && (!best || before(t->key, t->seq, best->key, best->seq))) best = t;
  }
  return best;
}

QueuedTask ReadyQueue::pop() {
  const QueuedTask* best = top();
  return release(index_.find(best->spec.id));
}

const QueuedTask* ReadyQueue::oldest(core::PriorityClass c) const {
  const std::uint32_t slot = classes_[class_index(c)].head;
  return slot == kNoSlot ? nullptr : &tasks_[slot];
}

const QueuedTask* ReadyQueue::newest(core::PriorityClass c) const {
  const std::uint32_t slot = classes_[class_index(c)].tail;
  return slot == kNoSlot ? nullptr : &tasks_[slot];
}

const QueuedTask* ReadyQueue::earliest_deadline() const {
  return deadlines_.empty() ? nullptr : &tasks_[deadlines_.top().slot];
}

}  // namespace autoglm::sched
