// The scheduler core: one deterministic state machine that owns the ready queue, the
// node table and the policies. It does no I/O and reads time only from the injected Clock;
// the live gateway and the simulator drive the same object with the same events.
// Threading: not thread-safe. The gateway calls it only from its scheduler strand.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/node_view.hpp"
#include "core/status.hpp"
#include "core/task.hpp"
#include "policy/pipeline.hpp"

namespace autoglm::sched {

using core::Duration;
using core::NodeIndex;
using core::TaskId;
using core::TaskSpec;
using namespace std::chrono_literals;

constexpr std::size_t kClasses = core::kPriorityClassCount;

struct SchedulerOptions {
  Duration tick = 10ms;
  // Effective priority of a queued task (higher runs first):
  //   class_weight[class] + level_weight * level
  //   + (interactive ? interactive_bonus : 0) + aging_per_second * seconds_waited
  // The queue orders by the static key base - aging_per_second * arrival_seconds, which
  // gives the same order at every moment (see priority.hpp). With the defaults a batch task
  // (level 3) that waited 18.5 s outranks a fresh interactive standard one (level 5), so
  // batch work does not starve while the queue drains at all; a sheddable task would need
  // 27-30 s, past its 10 s queue timeout: sheddable work is shed or times out instead.
  std::array<double, kClasses> class_weight{1000, 500, 200, 0};
  double level_weight = 10;
  double interactive_bonus = 50;
  double aging_per_second = 20;
  // Admission, per class (critical, standard, batch, sheddable).
  std::array<std::size_t, kClasses> queue_bound{4096, 4096, 65536, 4096};
  // All classes together. A full class rejects; a full total sheds queued sheddable, then
  // batch work (newest first) to admit a more important task, else rejects.
  std::size_t total_queue_bound = 65536;
  // Longest wait in the queue since a task (last) entered it; zero: no limit. A task's own
  // deadline (counted from its first arrival) applies as well.
  std::array<Duration, kClasses> queue_timeout{30s, 30s, 600s, 10s};
  Duration retry_after = 1s;  // suggested to shed and timed-out clients
  policy::Thresholds thresholds;
  // Feedback: EWMA of finished tasks' times; node weights recomputed every interval.
  Duration feedback_interval = 10s;
  double ewma_alpha = 0.2;
  int explain_top = 3;  // candidates kept in each Decision
  // At most this many policy calls per event when dispatching from the queue; what is left
  // waits for the next event or tick. Bounds the time one event holds the strand.
  std::size_t dispatch_budget = 1024;
};

struct TaskResult {
  bool ok = true;  // false: the node failed (5xx, reset), not the client
  Duration ttft{0};
  Duration e2e{0};
  std::int64_t output_tokens = 0;
};

// What the core asks its driver to do. Filled by every event call; the driver takes the
// actions (take_actions) after each call and carries them out in this order: cancellations,
// then placements, then rejections. Within one batch a task has at most one Cancellation
// (of a placement from an earlier batch) and then at most one Placement or Rejection: a
// task placed since the last take_actions() is never preempted or evacuated.
struct Placement {
  TaskId task = 0;
  NodeIndex node = 0;
  Duration queued_for{0};
  policy::Decision decision;
};
struct Rejection {
  TaskId task = 0;
  core::Status status;  // kResourceExhausted (shed, queue full) or kTimeout / kUnavailable
  Duration retry_after{0};
};
struct Cancellation {  // stop a dispatched task; it has been put back in the queue
  TaskId task = 0;
  NodeIndex node = 0;
  std::string reason;  // "preempted by critical work", "node memory above threshold"
};
struct Actions {
  std::vector<Placement> dispatch;
  std::vector<Rejection> reject;
  std::vector<Cancellation> cancel;
  bool empty() const { return dispatch.empty() && reject.empty() && cancel.empty(); }
};

// A read-only picture for /admin/v1/scheduler and the dashboard.
struct Snapshot {
  std::string policy;
  std::string policy_parts;
  std::array<std::size_t, kClasses> queued{};
  std::size_t in_flight = 0;
  std::uint64_t dispatched_total = 0;
  std::array<std::uint64_t, kClasses> shed_total{};
  std::array<std::uint64_t, kClasses> timed_out_total{};
  std::array<std::uint64_t, kClasses> rejected_total{};  // turned away: queue full
  std::uint64_t preempted_total = 0;  // running preemptible work cancelled for critical work
  std::uint64_t evacuated_total = 0;  // unstarted work moved off nodes above memory_evacuate
  struct NodeScore {
    std::string id;
    double score = 0;
    bool eligible = false;
    int in_flight = 0;
    std::uint64_t failures = 0;   // finished with TaskResult::ok == false
    core::NodeFeedback feedback;  // EWMA latencies and weight learned from finished tasks
  };
  std::vector<NodeScore> scores;  // for a standard task of the first model, current state
};

class Scheduler {
 public:
  Scheduler(SchedulerOptions options, const core::Clock& clock,
            std::unique_ptr<policy::Pipeline> default_policy, std::uint64_t seed = 1);
  ~Scheduler();

  // Policies: the default one and per-model overrides.
  void set_model_policy(const std::string& model, std::unique_ptr<policy::Pipeline> policy);
  const policy::Pipeline& policy_for(const std::string& model) const;

  // Node table. Indices are stable; a removed node stays as unhealthy and draining.
  // add_node resets the in-flight counters (the core owns them). Events naming an unknown
  // node are ignored. Whatever the policy says, the core places work only on nodes that are
  // healthy, not draining, below capacity and not above thresholds.cpu_pause or
  // thresholds.memory_evacuate. update_metrics above memory_evacuate cancels and requeues
  // the node's unstarted tasks (Cancellation "node memory above threshold").
  NodeIndex add_node(core::NodeView node);
  void update_metrics(NodeIndex node, const core::NodeMetrics& metrics);
  void set_healthy(NodeIndex node, bool healthy);
  void set_draining(NodeIndex node, bool draining);
  // Slow start share in (0, 1]; the `slow_start` filter admits the node with this chance.
  void set_warmup(NodeIndex node, double warmup);
  std::span<const core::NodeView> nodes() const;

  // Events. Each one that frees room dispatches queued work for the models it concerns;
  // tick() expires queued work, dispatches for every model and recomputes feedback.
  // submit: REQUIRES a task id never submitted before (a repeat is rejected with
  // kInvalidArgument). Placed at once when nothing of its model with an equal or higher
  // priority waits and the policy finds a node (a critical task may preempt running
  // preemptible work for it); else queued, or rejected (unknown model: kNotFound; queue
  // full: kResourceExhausted with retry_after), possibly shedding queued lower-class work.
  void submit(TaskSpec task);
  void started(TaskId task);  // first byte came back from the node
  // Frees the task's slot and feeds its times into the node's EWMAs (ok == false counts a
  // failure instead). A task that is queued again (after a Cancellation the driver did not
  // carry out) is dropped from the queue. Unknown ids are ignored.
  void finished(TaskId task, const TaskResult& result);
  void cancelled(TaskId task);  // client left: drop it wherever it is
  void tick();                  // timeouts, queued dispatch, feedback

  Actions take_actions();

  Snapshot snapshot() const;
  const SchedulerOptions& options() const;

 private:
  struct State;  // queue, running set, feedback (scheduler.cpp and friends)
  std::unique_ptr<State> state_;
};

}  // namespace autoglm::sched
