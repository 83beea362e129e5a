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

std::uint32_t ReadyQueue::tenant_for(const std::string& tenant) {
  // Consecutive pushes are mostly for the same tenant (often the default ""): skip hashing.
  if (last_tenant_ < tenant_names_.size() && tenant_names_[last_tenant_] == tenant) {
    return last_tenant_;
  }
  auto [it, inserted] =
      tenant_ids_.try_emplace(tenant, static_cast<std::uint32_t>(tenant_names_.size()));
  if (inserted) tenant_names_.push_back(tenant);
  last_tenant_ = it->second;
  return last_tenant_;
}

std::uint32_t ReadyQueue::tenant_queue(LaneData& lane, std::uint32_t run, std::uint32_t tenant) {
  const std::uint32_t cached = lane.runs[run].last_tq;
  if (cached != kNoSlot && lane.tenant_queues[cached].tenant == tenant) return cached;
  const std::uint64_t k = static_cast<std::uint64_t>(run) << 32 | tenant;
  auto [it, inserted] =
      lane.tq_of.try_emplace(k, static_cast<std::uint32_t>(lane.tenant_queues.size()));
  if (inserted) lane.tenant_queues.push_back(TenantQueue{tenant});
  lane.runs[run].last_tq = it->second;
  return it->second;
}

void ReadyQueue::link_tenant(LaneData& lane, std::uint32_t run_index, std::uint32_t slot,
                             std::uint32_t tenant) {
  const std::uint32_t q = tenant_queue(lane, run_index, tenant);
  TenantQueue& tq = lane.tenant_queues[q];
  Meta& m = meta_[slot];
  m.tq = q;
  m.tq_next = kNoSlot;
  m.tq_prev = tq.tail;
  if (tq.tail != kNoSlot) {
    meta_[tq.tail].tq_next = slot;
    tq.tail = slot;
    return;
  }
  tq.head = tq.tail = slot;
  // The tenant had nothing waiting in this run: it joins the ring just before the turn,
  // so every tenant already waiting is served once before it.
  Run& run = lane.runs[run_index];
  if (run.turn == kNoSlot) {
    run.turn = q;
    tq.ring_prev = tq.ring_next = q;
    return;
  }
  TenantQueue& turn = lane.tenant_queues[run.turn];
  const std::uint32_t prev = turn.ring_prev;
  tq.ring_next = run.turn;
  tq.ring_prev = prev;
  lane.tenant_queues[prev].ring_next = q;
  turn.ring_prev = q;
}

void ReadyQueue::unlink_tenant(LaneData& lane, std::uint32_t run_index, std::uint32_t slot) {
  const Meta& m = meta_[slot];
  TenantQueue& tq = lane.tenant_queues[m.tq];
  if (m.tq_prev != kNoSlot) {
    meta_[m.tq_prev].tq_next = m.tq_next;
  } else {
    tq.head = m.tq_next;
  }
  if (m.tq_next != kNoSlot) {
    meta_[m.tq_next].tq_prev = m.tq_prev;
  } else {
    tq.tail = m.tq_prev;
  }
  if (tq.head != kNoSlot) return;
  // Nothing of this tenant is left in the run: it leaves the ring (and the turn passes on).
  Run& run = lane.runs[run_index];
  if (tq.ring_next == m.tq) {
    run.turn = kNoSlot;
  } else {
    lane.tenant_queues[tq.ring_prev].ring_next = tq.ring_next;
    lane.tenant_queues[tq.ring_next].ring_prev = tq.ring_prev;
    if (run.turn == m.tq) run.turn = tq.ring_next;
  }
  tq.ring_prev = tq.ring_next = kNoSlot;
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
    m.tq = kNoSlot;
    lane.loose.push(LaneEntry{m.key, m.seq, slot}, loose_pos_);
    return;
  }
  link_tenant(lane, run_index, slot, tenant_for(spec.tenant));
}

void ReadyQueue::unlink_from_lane(std::uint32_t slot) {
  const Meta& m = meta_[slot];
  LaneData& lane = lanes_[m.lane];
  if (m.run == kLoose) {
    lane.loose.erase_at(loose_pos_[slot], loose_pos_);
    return;
  }
  unlink_tenant(lane, m.run, slot);
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

const ReadyQueue::LaneEntry* ReadyQueue::best_entry(const LaneData& l) const {
  if (l.runs_by_head.empty()) return l.loose.empty() ? nullptr : &l.loose.top();
  const LaneEntry& run = l.runs_by_head.top();
  if (!l.loose.empty() && LaneBefore{}(l.loose.top(), run)) return &l.loose.top();
  return &run;
}

std::uint32_t ReadyQueue::top_slot(Lane lane) const {
  const LaneData& l = lanes_[lane];
  const LaneEntry* best = best_entry(l);
  if (!best) return kNoSlot;
  if (l.runs_by_head.empty() || best != &l.runs_by_head.top()) return best->slot;  // loose
  return l.tenant_queues[l.runs[best->slot].turn].head;
}

ReadyQueue::Rank ReadyQueue::rank(Lane lane) const {
  const LaneEntry* best = best_entry(lanes_[lane]);
  return Rank{best->key, best->seq};
}

const QueuedTask* ReadyQueue::top(Lane lane) const {
  const std::uint32_t slot = top_slot(lane);
  return slot == kNoSlot ? nullptr : &tasks_[slot];
}

QueuedTask ReadyQueue::pop(Lane lane) {
  const std::uint32_t slot = top_slot(lane);
  const Meta& m = meta_[slot];
  if (m.run != kLoose) {  // pass the run's turn to the next tenant in the ring
    LaneData& l = lanes_[lane];
    Run& run = l.runs[m.run];
    run.turn = l.tenant_queues[run.turn].ring_next;
  }
  QueuedTask task = release(slot);
  // The next pop (or the walk's look at the next head) reads the new top's task: start
  // fetching it now, since deep queues keep most tasks out of cache.
  const std::uint32_t next = top_slot(lane);
  if (next != kNoSlot) {
    __builtin_prefetch(&tasks_[next]);
    __builtin_prefetch(&meta_[next]);
  }
  return task;
}

std::optional<ReadyQueue::Lane> ReadyQueue::best_lane() const {
  std::optional<Lane> best;
  Rank best_rank{0, 0};
  for (Lane lane = 0; lane < lanes_.size(); ++lane) {
    if (lane_empty(lane)) continue;
    const Rank r = rank(lane);
    if (!best || before(r, best_rank)) {
      best = lane;
      best_rank = r;
    }
  }
  return best;
}

const QueuedTask* ReadyQueue::top() const {
  const auto lane = best_lane();
  return lane ? top(*lane) : nullptr;
}

QueuedTask ReadyQueue::pop() { return pop(*best_lane()); }

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
