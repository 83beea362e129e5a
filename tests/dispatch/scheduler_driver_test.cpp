// The driver between the gateway's coroutines and the scheduler core, on a strand and
// single-threaded (where events raised on the I/O thread are applied at once): placements,
// queued work placed when a slot frees, rejections, and events raised on other threads.
#include "dispatch/scheduler_driver.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <vector>

#include "sched/test_support.hpp"

namespace autoglm::dispatch {
namespace {

using sched::testing::node_view;
using sched::testing::task;

class SchedulerDriverTest : public ::testing::TestWithParam<bool> {
 protected:
  SchedulerDriverTest()
      : driver_(io_,
                std::make_unique<sched::Scheduler>(sched::SchedulerOptions{}, clock_,
                                                   sched::testing::first_fit(), 1),
                /*single_thread=*/GetParam()) {}

  // Runs `body` as a coroutine on the I/O context until everything it started is done.
  template <typename Body>
  void run(Body body) {
    asio::co_spawn(io_, std::move(body), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    io_.run_for(std::chrono::seconds(10));
    io_.restart();
  }

  core::ManualClock clock_;
  asio::io_context io_{1};
  SchedulerDriver driver_;
};

TEST_P(SchedulerDriverTest, PlacesATaskOnANodeWithRoom) {
  driver_.add_node(node_view("n0", 1));
  driver_.add_node(node_view("n1", 1));
  ScheduleOutcome outcome;
  run([&]() -> asio::awaitable<void> { outcome = co_await driver_.schedule(task(1)); });
  ASSERT_TRUE(outcome.placed);
  EXPECT_EQ(outcome.placement.task, 1u);
  EXPECT_EQ(outcome.placement.node, 0u);
  EXPECT_NE(outcome.stop, nullptr);
}

TEST_P(SchedulerDriverTest, PlacesQueuedWorkWhenTheRunningTaskFinishes) {
  driver_.add_node(node_view("n0", 1));
  std::vector<core::TaskId> order;
  run([&]() -> asio::awaitable<void> {
    const auto first = co_await driver_.schedule(task(1));
    EXPECT_TRUE(first.placed);
    order.push_back(first.placement.task);
    // The node is full: task 2 waits until task 1 finishes.
    asio::co_spawn(
        co_await asio::this_coro::executor,
        [&]() -> asio::awaitable<void> {
          const auto second = co_await driver_.schedule(task(2));
          EXPECT_TRUE(second.placed);
          order.push_back(second.placement.task);
        },
        asio::detached);
    asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
    co_await pause.async_wait(asio::use_awaitable);
    EXPECT_EQ(order.size(), 1u) << "placed on a full node";
    driver_.started(1);
    driver_.finished(1, sched::TaskResult{true});
  });
  EXPECT_EQ(order, (std::vector<core::TaskId>{1, 2}));
}

TEST_P(SchedulerDriverTest, RejectsATaskNoNodeServes) {
  driver_.add_node(node_view("n0", 1, {"m"}));
  ScheduleOutcome outcome;
  run([&]() -> asio::awaitable<void> {
    outcome = co_await driver_.schedule(task(7, core::PriorityClass::kStandard, "other"));
  });
  EXPECT_FALSE(outcome.placed);
  EXPECT_EQ(outcome.rejection.task, 7u);
  EXPECT_FALSE(outcome.rejection.status);
}

TEST_P(SchedulerDriverTest, AppliesEventsRaisedOnAnotherThread) {
  std::thread([&] { driver_.add_node(node_view("n0", 1)); }).join();
  ScheduleOutcome outcome;
  run([&]() -> asio::awaitable<void> { outcome = co_await driver_.schedule(task(3)); });
  ASSERT_TRUE(outcome.placed);
  EXPECT_EQ(outcome.placement.node, 0u);
}

TEST_P(SchedulerDriverTest, SnapshotSeesTheRunningTask) {
  driver_.add_node(node_view("n0", 2));
  sched::Snapshot snapshot;
  run([&]() -> asio::awaitable<void> {
    co_await driver_.schedule(task(1));
    driver_.started(1);
    snapshot = co_await driver_.snapshot();
  });
  EXPECT_EQ(snapshot.in_flight, 1u);
  ASSERT_EQ(snapshot.scores.size(), 1u);
  EXPECT_EQ(snapshot.scores[0].in_flight, 1);
}

INSTANTIATE_TEST_SUITE_P(Modes, SchedulerDriverTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "SingleThread" : "Strand";
                         });

}  // namespace
}  // namespace autoglm::dispatch
