// The scheduler core's private state and the steps its events are made of. Internal to
// src/sched/: scheduler.cpp holds the events, dispatch.cpp placement, preemption and
// evacuation, snapshot.cpp the read-only picture.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sched/node_table.hpp"
#include "sched/ready_queue.hpp"
#include "sched/running_set.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::sched {

struct Scheduler::State {
  State(SchedulerOptions opts, const core::Clock& clk, std::unique_ptr<policy::Pipeline> policy,
        std::uint64_t seed);

  SchedulerOptions options;
  const core::Clock& clock;
  std::unique_ptr<policy::Pipeline> default_policy;
  std::unordered_map<std::string, std::unique_ptr<policy::Pipeline>> model_policy;
  policy::Rng rng;

  NodeTable nodes;
  ReadyQueue queue;
  RunningSet running;
  Actions actions;
  // Tasks placed since the last take_actions() (dispatch_seq >= this) are neither preempted
  // nor evacuated, so one batch of actions never cancels a placement it also carries.
  std::uint64_t batch_first_seq = 1;

  std::uint64_t dispatched_total = 0;
  std::array<std::uint64_t, kClasses> shed_total{};
  std::array<std::uint64_t, kClasses> timed_out_total{};
  std::array<std::uint64_t, kClasses> rejected_total{};
  std::uint64_t preempted_total = 0;
  std::uint64_t evacuated_total = 0;

  // Feedback, per node: failures, and output tokens since the last recompute.
  std::vector<std::uint64_t> failures;
  std::vector<std::int64_t> interval_tokens;
  core::Time last_feedback{0};

  // Scratch, reused so the hot path does not allocate.
  std::vector<core::NodeIndex> candidates;
  std::vector<core::NodeIndex> single;
  std::vector<core::NodeIndex> restricted;  // a task's allowed_nodes among the starting list
  std::vector<char> lane_open;
  std::vector<QueuedTask> requeue;  // victims of preemption, pushed after the placement
  policy::Decision decision;

  // --- policies (dispatch.cpp) ---
  policy::Pipeline& pipeline_for(const std::string& model);
  policy::Context context();

  // --- placement (dispatch.cpp) ---
  // A decision for `task` among the nodes serving its model (or only `only`), never on a
  // node the core's guard forbids; nullopt when none fits.
  std::optional<policy::Decision> choose(const TaskSpec& task,
                                         std::optional<core::NodeIndex> only = std::nullopt);
  bool guard_allows(const TaskSpec& task, core::NodeIndex node) const;
  // Whether the task's allowed_nodes (empty: all) include the node.
  static bool allowed_on(const TaskSpec& task, core::NodeIndex node);
  // For a critical task: frees the slot of the most recently dispatched preemptible task on
  // a node where that makes room, records the Cancellation and queues the victim in
  // `requeue`; returns the decision for that node.
  std::optional<policy::Decision> preempt_for(const TaskSpec& task);
  std::optional<policy::Decision> choose_or_preempt(
      const TaskSpec& task, std::optional<core::NodeIndex> only = std::nullopt);
  void place(TaskSpec task, core::Time arrival, core::Time enqueued, policy::Decision decision);
  void flush_requeue();
  // Dispatch from the queue. A walk visits lanes (one per model) in the order of their
  // heads and places each head while the policy finds a node; a head that finds none closes
  // its lane for the rest of the walk (head-of-line blocking per model). At most
  // options.dispatch_budget policy calls per walk.
  // - dispatch_queued: every lane, every node (tick).
  // - dispatch_to(n): room appeared on n alone (a slot freed, n recovered or cooled down),
  //   and every other node was already tried by an earlier walk: the lanes of n's models,
  //   with n as the only candidate. O(1) in the cluster size.
  // - dispatch_models_of(n): the lanes of n's models over every node (work left n).
  void dispatch_queued();
  void dispatch_to(core::NodeIndex node);
  void dispatch_models_of(core::NodeIndex node);
  void walk(std::optional<core::NodeIndex> lanes_of, std::optional<core::NodeIndex> only);
  // Cancels the unstarted tasks on a node above memory_evacuate and queues them again;
  // true when any moved.
  bool evacuate(core::NodeIndex node);

  // --- queue (scheduler.cpp) ---
  void enqueue(TaskSpec task, core::Time arrival);  // after admission
  void reject(core::TaskId task, core::Status status, core::Duration retry_after);
  void expire_queued();
  void free_slot(const RunningTask& task);
  void recompute_feedback();
};

}  // namespace autoglm::sched
