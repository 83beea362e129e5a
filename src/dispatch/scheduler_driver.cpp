#include "dispatch/scheduler_driver.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace autoglm::dispatch {

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
using OutcomeChannel =
    asio::experimental::channel<void(boost::system::error_code, ScheduleOutcome)>;
}  // namespace

// A request waiting for its placement; the channel lives on the request's executor, so
// the strand hands results over by posting there.
struct SchedulerDriver::Waiter {
  std::shared_ptr<OutcomeChannel> channel;
  void deliver(ScheduleOutcome outcome) {
    auto ch = channel;
    asio::post(ch->get_executor(), [ch, outcome = std::move(outcome)]() mutable {
      ch->try_send(boost::system::error_code{}, std::move(outcome));
    });
  }
};

SchedulerDriver::SchedulerDriver(asio::io_context& io, std::unique_ptr<sched::Scheduler> scheduler)
    : strand_(asio::make_strand(io)), scheduler_(std::move(scheduler)), tick_timer_(strand_) {}

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

void SchedulerDriver::post(std::function<void(sched::Scheduler&)> event) {
  asio::post(strand_, [this, event = std::move(event)] {
    event(*scheduler_);
    apply_actions();
  });
}

void SchedulerDriver::apply_actions() {
  sched::Actions actions = scheduler_->take_actions();
  for (auto& placement : actions.dispatch) {
    auto it = waiters_.find(placement.task);
    if (it == waiters_.end()) {
      // Placed again after a cancellation: the live gateway does not re-run a request that
      // was already handed to a node, so the copy is dropped (see Cancellation below).
      scheduler_->cancelled(placement.task);
      continue;
    }
    it->second->deliver(ScheduleOutcome{true, std::move(placement), {}});
    waiters_.erase(it);
  }
  for (auto& rejection : actions.reject) {
    auto it = waiters_.find(rejection.task);
    if (it == waiters_.end()) continue;
    it->second->deliver(ScheduleOutcome{false, {}, std::move(rejection)});
    waiters_.erase(it);
  }
  for (const auto& cancellation : actions.cancel) {
    // The request is already being proxied; live requests are not preemptible, so this
    // arises only from memory evacuation. The request finishes where it is.
    spdlog::warn("task {} on node {}: cancellation ({}) not applied to a live request",
                 cancellation.task, cancellation.node, cancellation.reason);
  }
}

asio::awaitable<ScheduleOutcome> SchedulerDriver::schedule(core::TaskSpec task) {
  auto executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<Waiter>();
  waiter->channel = std::make_shared<OutcomeChannel>(executor, 1);
  asio::post(strand_, [this, waiter, task = std::move(task)]() mutable {
    waiters_.emplace(task.id, waiter);
    scheduler_->submit(std::move(task));
    apply_actions();
  });
  auto [ec, outcome] = co_await waiter->channel->async_receive(kNoThrow);
  co_return outcome;
}

void SchedulerDriver::started(core::TaskId task) {
  post([task](sched::Scheduler& s) { s.started(task); });
}

void SchedulerDriver::finished(core::TaskId task, const sched::TaskResult& result) {
  post([task, result](sched::Scheduler& s) { s.finished(task, result); });
}

void SchedulerDriver::cancelled(core::TaskId task) {
  post([task](sched::Scheduler& s) { s.cancelled(task); });
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
