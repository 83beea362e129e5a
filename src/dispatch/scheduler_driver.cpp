#include "dispatch/scheduler_driver.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace autoglm::dispatch {

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Outcomes travel boxed: between the strand and the request's coroutine an outcome is
// moved about ten times (handler, channel, tuple, result), and a pointer moves for free.
using BoxedOutcome = std::unique_ptr<ScheduleOutcome>;
using OutcomeChannel = asio::experimental::channel<void(boost::system::error_code, BoxedOutcome)>;

ScheduleOutcome unbox(BoxedOutcome boxed) {
  return boxed ? std::move(*boxed) : ScheduleOutcome{};  // empty: the channel was closed
}
}  // namespace

// A request waiting for its placement; the channel lives on the request's executor, so
// the strand hands results over by posting there (single-threaded: by sending at once).
struct SchedulerDriver::Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : channel(executor, 1) {}
  OutcomeChannel channel;
  std::shared_ptr<UpstreamStop> stop;  // of the current placement
  bool placed = false;                 // a placement was delivered and is in use
};

void SchedulerDriver::deliver(const std::shared_ptr<Waiter>& waiter, ScheduleOutcome outcome) {
  auto boxed = std::make_unique<ScheduleOutcome>(std::move(outcome));
  if (single_thread_) {  // the channel's executor is this thread's too; it buffers one
    waiter->channel.try_send(boost::system::error_code{}, std::move(boxed));
    return;
  }
  asio::post(waiter->channel.get_executor(), [waiter, boxed = std::move(boxed)]() mutable {
    waiter->channel.try_send(boost::system::error_code{}, std::move(boxed));
  });
}

SchedulerDriver::SchedulerDriver(asio::io_context& io, std::unique_ptr<sched::Scheduler> scheduler,
                                 bool single_thread)
    : single_thread_(single_thread),
      io_executor_(io.get_executor()),
      strand_(single_thread ? asio::any_io_executor(io_executor_)
                            : asio::any_io_executor(asio::make_strand(io))),
      scheduler_(std::move(scheduler)),
      tick_timer_(strand_) {}

bool SchedulerDriver::on_strand_now() const {
  return single_thread_ && io_executor_.running_in_this_thread();
}

SchedulerDriver::~SchedulerDriver() = default;

void SchedulerDriver::start() {
  asio::post(strand_, [this] { arm_tick(); });
}

void SchedulerDriver::stop() {
  asio::post(strand_, [this] {
    stopped_ = true;
    tick_timer_.cancel();
  });
}

void SchedulerDriver::arm_tick() {
  if (stopped_) return;
  tick_timer_.expires_after(scheduler_->options().tick);
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    scheduler_->tick();
    apply_actions();
    arm_tick();
  });
}

// A template rather than a std::function: events are posted per request (started,
// finished), and the lambda then lives in Asio's recycled handler memory, not on the heap.
template <typename Event>
void SchedulerDriver::post(Event event) {
  if (on_strand_now()) {
    event(*scheduler_);
    apply_actions();
    return;
  }
  asio::post(strand_, [this, event = std::move(event)]() mutable {
    event(*scheduler_);
    apply_actions();
  });
}

void SchedulerDriver::apply_actions() {
  sched::Actions actions = scheduler_->take_actions();
  for (auto& placement : actions.dispatch) {
    auto it = waiters_.find(placement.task);
    if (it == waiters_.end() || it->second->placed) {
      // The request ended, or its node answered before the take-back reached it: it is
      // not run a second time.
      scheduler_->cancelled(placement.task);
      continue;
    }
    it->second->placed = true;
    it->second->stop = std::make_shared<UpstreamStop>();
    deliver(it->second, ScheduleOutcome{true, std::move(placement), {}, it->second->stop});
  }
  for (auto& rejection : actions.reject) {
    auto it = waiters_.find(rejection.task);
    if (it == waiters_.end()) continue;
    deliver(it->second, ScheduleOutcome{false, {}, std::move(rejection), nullptr});
    waiters_.erase(it);
  }
  for (const auto& cancellation : actions.cancel) {
    auto it = waiters_.find(cancellation.task);
    if (it == waiters_.end() || !it->second->placed) {
      spdlog::warn("task {} on node {}: cannot be taken back ({})", cancellation.task,
                   cancellation.node, cancellation.reason);
      continue;
    }
    spdlog::info("task {}: taken back from node {} ({})", cancellation.task, cancellation.node,
                 cancellation.reason);
    it->second->placed = false;
    it->second->stop->request_stop();
  }
}

void SchedulerDriver::forget(core::TaskId task) { waiters_.erase(task); }

asio::awaitable<ScheduleOutcome> SchedulerDriver::schedule(core::TaskSpec task) {
  auto executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<Waiter>(executor);
  post([this, waiter, task = std::move(task)](sched::Scheduler& s) mutable {
    waiters_.emplace(task.id, waiter);
    s.submit(std::move(task));
  });
  // Single-threaded, a task the core placed (or rejected) at once is answered at once.
  BoxedOutcome ready;
  if (waiter->channel.try_receive(
          [&ready](boost::system::error_code, BoxedOutcome boxed) { ready = std::move(boxed); })) {
    co_return unbox(std::move(ready));
  }
  auto [ec, boxed] = co_await waiter->channel.async_receive(kNoThrow);
  co_return unbox(std::move(boxed));
}

asio::awaitable<ScheduleOutcome> SchedulerDriver::replaced(core::TaskId task) {
  // Fetch the task's channel on the strand; the next placement may already be in it.
  using Lookup =
      asio::experimental::channel<void(boost::system::error_code, std::shared_ptr<Waiter>)>;
  auto executor = co_await asio::this_coro::executor;
  auto lookup = std::make_shared<Lookup>(executor, 1);
  asio::post(strand_, [this, task, lookup] {
    auto it = waiters_.find(task);
    std::shared_ptr<Waiter> waiter = it == waiters_.end() ? nullptr : it->second;
    asio::post(lookup->get_executor(),
               [lookup, waiter] { lookup->try_send(boost::system::error_code{}, waiter); });
  });
  auto [lec, waiter] = co_await lookup->async_receive(kNoThrow);
  if (!waiter) {
    co_return ScheduleOutcome{
        false,
        {},
        sched::Rejection{task, core::unavailable("the task is no longer scheduled"), {}},
        nullptr};
  }
  auto [ec, boxed] = co_await waiter->channel.async_receive(kNoThrow);
  co_return unbox(std::move(boxed));
}

void SchedulerDriver::started(core::TaskId task) {
  post([task](sched::Scheduler& s) { s.started(task); });
}

void SchedulerDriver::finished(core::TaskId task, const sched::TaskResult& result) {
  post([this, task, result](sched::Scheduler& s) {
    forget(task);
    s.finished(task, result);
  });
}

void SchedulerDriver::cancelled(core::TaskId task) {
  post([this, task](sched::Scheduler& s) {
    forget(task);
    s.cancelled(task);
  });
}

void SchedulerDriver::add_node(core::NodeView node) {
  post([node = std::move(node)](sched::Scheduler& s) mutable { s.add_node(std::move(node)); });
}

void SchedulerDriver::set_draining(core::NodeIndex node, bool draining) {
  post([node, draining](sched::Scheduler& s) { s.set_draining(node, draining); });
}

void SchedulerDriver::set_warmup(core::NodeIndex node, double warmup) {
  post([node, warmup](sched::Scheduler& s) { s.set_warmup(node, warmup); });
}

void SchedulerDriver::set_healthy(core::NodeIndex node, bool healthy) {
  post([node, healthy](sched::Scheduler& s) { s.set_healthy(node, healthy); });
}

void SchedulerDriver::update_metrics(core::NodeIndex node, const core::NodeMetrics& metrics) {
  post([node, metrics](sched::Scheduler& s) { s.update_metrics(node, metrics); });
}

asio::awaitable<sched::Snapshot> SchedulerDriver::snapshot() {
  using SnapshotChannel =
      asio::experimental::channel<void(boost::system::error_code, sched::Snapshot)>;
  auto executor = co_await asio::this_coro::executor;
  auto channel = std::make_shared<SnapshotChannel>(executor, 1);
  asio::post(strand_, [this, channel] {
    asio::post(channel->get_executor(), [channel, snap = scheduler_->snapshot()]() mutable {
      channel->try_send(boost::system::error_code{}, std::move(snap));
    });
  });
  auto [ec, snap] = co_await channel->async_receive(kNoThrow);
  co_return snap;
}

}  // namespace autoglm::dispatch
