// The ready queue: tasks admitted but not yet placed, one priority lane per model, with
// per-class counts and arrival lists for shedding and timeouts. Pure data structure: it
// knows nothing of nodes, options or time beyond the values it is handed.
// Threading: not thread-safe; owned by the scheduler core.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/task.hpp"
#include "sched/indexed_heap.hpp"
#include "sched/task_index.hpp"

namespace autoglm::sched {

struct QueuedTask {
  core::TaskSpec spec;
  core::Time arrival{0};   // first arrival: ages the key, and the deadline counts from it
  core::Time enqueued{0};  // when it entered the queue this time: the queue timeout counts from it
  double key = 0;          // static priority key (see priority.hpp); higher is served first
  std::uint64_t seq = 0;   // set by push: FIFO among equal keys; the newest has the largest
};

// Invariants:
// - a task id is in the queue at most once;
// - within a lane, top() is the next task to serve: the lane's *rank* (below) picks the
//   priority group, and within a group tenants take turns (fair queueing);
// - for one tenant alone, top() has the highest key, ties going to the lowest seq (FIFO);
// - per class, oldest()/newest() follow push order, which is `enqueued` order as long as
//   callers push with a non-decreasing `enqueued` (the scheduler pushes with clock.now()).
//
// Layout: a lane keeps one FIFO *run* per priority group (class, level, latency), because
// tasks of one group share a base priority, so arriving later means a lower key: appending
// keeps a run sorted, and a run's head is its best task. A small heap orders the runs by
// their heads. A task that would break its run's order (a requeued task keeps its early
// arrival, so its key is higher than the run's tail) goes to the lane's *loose* heap
// instead. So push and pop are O(1) plus O(log groups) for the usual arrivals, and
// O(log n) for requeued ones; remove by id is O(1) in a run and O(log n) in the heap.
//
// Fair queueing (docs/scheduler.md, "Fairness between tenants"): inside a run each tenant
// has its own FIFO, and the tenants with work in the run form a round-robin ring. The
// run's place among runs still follows its oldest task (so class, level and aging order
// the groups exactly as before), but the task served from it is the head of the tenant
// whose turn it is; a pop passes the turn on, and a tenant that starts waiting joins the
// ring just before the current turn (behind every tenant already waiting). Loose
// (requeued) tasks are served by key alone. All of it is O(1) per push and pop.
class ReadyQueue {
 public:
  using Lane = std::uint32_t;
  static constexpr std::size_t kClassCount = core::kPriorityClassCount;

  ReadyQueue() = default;
  ReadyQueue(const ReadyQueue&) = delete;
  ReadyQueue& operator=(const ReadyQueue&) = delete;

  // REQUIRES: !contains(task.spec.id). Assigns task.seq.
  void push(QueuedTask&& task);
  bool contains(core::TaskId id) const { return index_.find(id) != detail::TaskIndex::kMissing; }
  const QueuedTask* find(core::TaskId id) const;
  // Takes the task out wherever it is; nullopt when it is not queued.
  std::optional<QueuedTask> remove(core::TaskId id);

  bool empty() const { return index_.empty(); }
  std::size_t size() const { return index_.size(); }
  std::size_t size(core::PriorityClass c) const { return classes_[class_index(c)].count; }
  std::array<std::size_t, kClassCount> sizes() const;

  // Lanes, one per model ever pushed; a lane stays (empty) once created.
  std::size_t lane_count() const { return lanes_.size(); }
  std::optional<Lane> lane_of(const std::string& model) const;
  const std::string& lane_model(Lane lane) const { return lanes_[lane].model; }
  bool lane_empty(Lane lane) const {
    return lanes_[lane].runs_by_head.empty() && lanes_[lane].loose.empty();
  }
  const QueuedTask* top(Lane lane) const;  // nullptr when the lane is empty
  QueuedTask pop(Lane lane);               // REQUIRES: !lane_empty(lane)

  // Where a lane stands against other lanes and newcomers: the key and seq of the oldest
  // task of the group the lane serves next (its loose head, or its best run's head). With
  // one tenant that is top(lane)'s own key and seq. REQUIRES: !lane_empty(lane).
  struct Rank {
    double key;
    std::uint64_t seq;
  };
  Rank rank(Lane lane) const;

  // The next task of the lane with the best rank (O(lanes)); nullptr when empty.
  const QueuedTask* top() const;
  QueuedTask pop();  // REQUIRES: !empty()

  // Per class in push order: the next to time out and the first to shed.
  const QueuedTask* oldest(core::PriorityClass c) const;
  const QueuedTask* newest(core::PriorityClass c) const;
  // The queued task with the earliest arrival + deadline; nullptr when none has one.
  const QueuedTask* earliest_deadline() const;

  // True when a is served before b (higher key, then lower seq).
  static bool before(double key_a, std::uint64_t seq_a, double key_b, std::uint64_t seq_b) {
    return key_a > key_b || (key_a == key_b && seq_a < seq_b);
  }
  static bool before(const Rank& a, const Rank& b) { return before(a.key, a.seq, b.key, b.seq); }

 private:
  static constexpr std::uint32_t kLoose = detail::kNoSlot;  // Meta::run of a loose task
  static constexpr std::uint32_t kGroups = 4 * 16 * 2;      // class x level x latency

  struct LaneEntry {  // `slot`: a task slot in `loose`, a run index in `runs_by_head`
    double key;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  struct LaneBefore {
    bool operator()(const LaneEntry& a, const LaneEntry& b) const {
      return before(a.key, a.seq, b.key, b.seq);
    }
  };
  struct DeadlineEntry {
    core::Time at;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  struct DeadlineBefore {
    bool operator()(const DeadlineEntry& a, const DeadlineEntry& b) const {
      return a.at < b.at || (a.at == b.at && a.seq < b.seq);
    }
  };
  struct Run {
    std::uint32_t head = detail::kNoSlot;  // oldest (best key): the run's rank
    std::uint32_t tail = detail::kNoSlot;
    std::uint32_t turn = detail::kNoSlot;     // tenant queue served next; kNoSlot when empty
    std::uint32_t last_tq = detail::kNoSlot;  // the tenant queue pushed to last (lookup cache)
  };
  // One tenant's tasks in one run, in push order, and its place in the run's ring.
  struct TenantQueue {
    std::uint32_t tenant = 0;
    std::uint32_t head = detail::kNoSlot;
    std::uint32_t tail = detail::kNoSlot;
    std::uint32_t ring_prev = detail::kNoSlot;  // kNoSlot while the tenant has nothing here
    std::uint32_t ring_next = detail::kNoSlot;
  };
  struct LaneData {
    std::string model;
    std::vector<std::uint32_t> run_of_group;  // group -> index in runs, or kNoSlot
    std::vector<Run> runs;
    std::vector<std::uint32_t> run_pos;                       // run -> position in runs_by_head
    detail::IndexedHeap<LaneEntry, LaneBefore> runs_by_head;  // non-empty runs
    detail::IndexedHeap<LaneEntry, LaneBefore> loose;
    std::vector<TenantQueue> tenant_queues;                  // created on first use, kept
    std::unordered_map<std::uint64_t, std::uint32_t> tq_of;  // run << 32 | tenant -> queue
  };
  // Everything release() needs to unlink a slot, apart from the (large) task, so that
  // unlinking does not wait on the task's cache lines.
  struct Meta {
    core::TaskId id = 0;
    double key = 0;
    std::uint64_t seq = 0;
    Lane lane = 0;
    std::uint32_t run = kLoose;
    std::uint32_t prev = detail::kNoSlot;  // class list, push order
    std::uint32_t next = detail::kNoSlot;
    std::uint32_t run_prev = detail::kNoSlot;  // run list, key order
    std::uint32_t run_next = detail::kNoSlot;
    std::uint32_t tq = detail::kNoSlot;       // tenant queue in its run (kNoSlot when loose)
    std::uint32_t tq_prev = detail::kNoSlot;  // tenant queue list, push order
    std::uint32_t tq_next = detail::kNoSlot;
    std::uint8_t cls = 0;
  };
  struct ClassList {
    std::uint32_t head = detail::kNoSlot;  // oldest
    std::uint32_t tail = detail::kNoSlot;  // newest
    std::size_t count = 0;
  };

  static std::size_t class_index(core::PriorityClass c) { return static_cast<std::size_t>(c); }
  static std::uint32_t group_of(const core::TaskSpec& spec);
  Lane lane_for(const std::string& model);
  std::uint32_t tenant_for(const std::string& tenant);
  std::uint32_t tenant_queue(LaneData& lane, std::uint32_t run, std::uint32_t tenant);
  void link_tenant(LaneData& lane, std::uint32_t run, std::uint32_t slot, std::uint32_t tenant);
  void unlink_tenant(LaneData& lane, std::uint32_t run, std::uint32_t slot);
  const LaneEntry* best_entry(const LaneData& lane) const;  // nullptr when the lane is empty
  std::optional<Lane> best_lane() const;                    // by rank; nullopt when empty
  std::uint32_t allocate_slot();
  void link_in_lane(std::uint32_t slot, const core::TaskSpec& spec);
  void unlink_from_lane(std::uint32_t slot);
  std::uint32_t top_slot(Lane lane) const;  // kNoSlot when the lane is empty
  QueuedTask release(std::uint32_t slot);   // unlinks everywhere and frees the slot

  std::vector<QueuedTask> tasks_;  // by slot
  std::vector<Meta> meta_;         // by slot
  std::vector<std::uint32_t> free_;
  std::vector<std::uint32_t> loose_pos_;     // slot -> position in its lane's loose heap
  std::vector<std::uint32_t> deadline_pos_;  // slot -> position in deadlines_, or kNoSlot
  detail::TaskIndex index_;
  std::vector<LaneData> lanes_;
  std::unordered_map<std::string, Lane> lane_by_model_;
  Lane last_lane_ = 0;
  std::unordered_map<std::string, std::uint32_t> tenant_ids_;
  std::vector<std::string> tenant_names_;  // by tenant id
  std::uint32_t last_tenant_ = detail::kNoSlot;
  std::array<ClassList, kClassCount> classes_{};
  detail::IndexedHeap<DeadlineEntry, DeadlineBefore> deadlines_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace autoglm::sched
