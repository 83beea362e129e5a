// Runs the scheduler core for the live gateway: owns it on one strand, turns requests into
// submit events and waits for their placement, feeds back starts and finishes, and ticks.
// Every public member may be called from any thread; the core is touched only on the strand.
// With one I/O thread (`single_thread`) that thread is the strand: an event raised on it is
// applied at once instead of posted, and a placement made at once is returned at once.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <unordered_map>

#include "dispatch/upstream_stop.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::dispatch {

namespace asio = boost::asio;

// What became of a submitted task: placed on a node, or rejected with a reason.
struct ScheduleOutcome {
  bool placed = false;
  sched::Placement placement;  // when placed
  sched::Rejection rejection;  // when not
  // When placed: lets the core take the task back before the node's answer begins; pass
  // it to Proxy::forward.
  std::shared_ptr<UpstreamStop> stop;
};

class SchedulerDriver {
 public:
  // `single_thread`: `io` is run by one thread only (server.threads: 1).
  SchedulerDriver(asio::io_context& io, std::unique_ptr<sched::Scheduler> scheduler,
                  bool single_thread = false);
  ~SchedulerDriver();

  // Starts the periodic tick (scheduler.tick); stop() ends it.
  void start();
  void stop();

  // Submits `task` and waits until the core places or rejects it. `task.id` must be unique.
  // Until finished() or cancelled(), the core may take the task back before it started
  // (memory evacuation, preemption): then the outcome's `stop` stops the upstream request
  // and the caller, seeing ProxyOutcome::kStopped, waits for the new placement with
  // replaced(). Call replaced() from the executor that called schedule().
  asio::awaitable<ScheduleOutcome> schedule(core::TaskSpec task);
  asio::awaitable<ScheduleOutcome> replaced(core::TaskId task);

  void started(core::TaskId task);
  void finished(core::TaskId task, const sched::TaskResult& result);
  void cancelled(core::TaskId task);
  // Appends a node to the core's table; indices follow the order of add_node calls, so a
  // caller that adds to its own node list and here under one lock keeps them aligned.
  void add_node(core::NodeView node);
  void set_healthy(core::NodeIndex node, bool healthy);
  void set_draining(core::NodeIndex node, bool draining);
  void set_warmup(core::NodeIndex node, double warmup);
  void update_metrics(core::NodeIndex node, const core::NodeMetrics& metrics);

  // A consistent copy of the core's state, taken on the strand.
  asio::awaitable<sched::Snapshot> snapshot();

 private:
  struct Waiter;  // a request waiting for its placement
  void deliver(const std::shared_ptr<Waiter>& waiter, ScheduleOutcome outcome);
  // True on the one I/O thread of a single-threaded driver, where the core may be used now.
  bool on_strand_now() const;
  // Runs event(scheduler) on the strand, then applies the actions it caused.
  template <typename Event>
  void post(Event event);
  void forget(core::TaskId task);  // REQUIRES: on strand_
  void apply_actions();            // REQUIRES: on strand_
  void arm_tick();                 // REQUIRES: on strand_

  const bool single_thread_;
  asio::io_context::executor_type io_executor_;
  // A strand of io_executor_, or io_executor_ itself when single-threaded.
  asio::any_io_executor strand_;
  std::unique_ptr<sched::Scheduler> scheduler_;
  // Tasks submitted and not yet finished or cancelled, by id.  strand_ only.
  std::unordered_map<core::TaskId, std::shared_ptr<Waiter>> waiters_;
  asio::steady_timer tick_timer_;
  bool stopped_ = false;
};

}  // namespace autoglm::dispatch
