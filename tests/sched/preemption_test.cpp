// Preemption of running preemptible work for critical tasks, and evacuation of unstarted
// work from nodes above the memory threshold.
#include <gtest/gtest.h>

#include "sched/scheduler.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using namespace testing;
using V = std::vector<TaskId>;

TEST(Preemption, ACriticalTaskTakesTheSlotOfTheNewestPreemptibleTask) {
  Harness h;
  h.add("n0", 2);
  h.submit(async_task(1));
  h.clock.advance(1s);
  h.submit(async_task(2));
  auto a = h.submit(task(3, PriorityClass::kCritical));
  ASSERT_EQ(cancelled(a), V{2});
  EXPECT_EQ(a.cancel[0].node, 0u);
  EXPECT_EQ(a.cancel[0].reason, "preempted by critical work");
  ASSERT_EQ(placed(a), V{3});
  EXPECT_EQ(a.dispatch[0].node, 0u);
  EXPECT_EQ(h.node(0).in_flight, 2);

  auto snap = h.scheduler.snapshot();
  EXPECT_EQ(snap.preempted_total, 1u);
  EXPECT_EQ(snap.queued[2], 1u);  // the victim waits again
  EXPECT_EQ(placed(h.finish(3)), V{2});
}

TEST(Preemption, TheVictimKeepsItsOriginalArrival) {
  Harness h;
  h.add("n0", 1);
  h.submit(async_task(1));  // arrives at 0
  h.clock.advance(10s);
  h.submit(task(2, PriorityClass::kBatch));  // queued at 10 s
  h.clock.advance(1s);
  auto a = h.submit(task(3, PriorityClass::kCritical));
  EXPECT_EQ(cancelled(a), V{1});
  // Task 1 went back to the queue after task 2 but arrived before it: it ages from 0 s.
  h.clock.advance(1s);
  EXPECT_EQ(placed(h.finish(3)), V{1});
}

TEST(Preemption, OnlyCriticalWorkPreemptsAndOnlyPreemptibleWorkYields) {
  Harness h;
  h.add("n0", 1);
  h.submit(async_task(1));
  EXPECT_TRUE(h.submit(task(2)).empty());  // standard: waits
  h.scheduler.cancelled(2);
  h.finish(1);
  h.submit(task(3, PriorityClass::kBatch));  // not preemptible
  auto a = h.submit(task(4, PriorityClass::kCritical));
  EXPECT_TRUE(a.cancel.empty());
  EXPECT_TRUE(a.dispatch.empty());
  EXPECT_EQ(h.scheduler.snapshot().preempted_total, 0u);
}

TEST(Preemption, OnlyOnNodesThatServeTheModelAndMayTakeWork) {
  Harness h;
  h.add("a0", 1, {"a"});
  h.add("b0", 1, {"b"});
  h.add("b1", 1, {"b"});
  h.submit(async_task(1, PriorityClass::kBatch, "a"));
  h.submit(async_task(2, PriorityClass::kBatch, "b"));
  h.submit(async_task(3, PriorityClass::kBatch, "b"));
  h.scheduler.set_draining(2, true);  // b1 takes no new work
  h.scheduler.take_actions();
  auto a = h.submit(task(4, PriorityClass::kCritical, "b"));
  ASSERT_EQ(cancelled(a), V{2});  // task 3 is newer, but on a draining node
  ASSERT_EQ(placed(a), V{4});
  EXPECT_EQ(a.dispatch[0].node, 1u);
}

TEST(Preemption, NotOfWorkPlacedInTheSameBatch) {
  Harness h;
  h.add("n0", 1);
  h.scheduler.submit(async_task(1));
  h.scheduler.submit(task(2, PriorityClass::kCritical));
  auto a = h.scheduler.take_actions();
  EXPECT_EQ(placed(a), V{1});
  EXPECT_TRUE(a.cancel.empty());
  a = h.tick();  // the next batch may preempt it
  EXPECT_EQ(cancelled(a), V{1});
  EXPECT_EQ(placed(a), V{2});
}

TEST(Evacuation, UnstartedWorkLeavesANodeAboveTheMemoryThreshold) {
  Harness h;
  h.add("n0", 4);
  h.add("n1", 4);
  h.submit(task(1));  // first fit: both on n0
  h.submit(task(2));
  h.scheduler.started(1);
  EXPECT_EQ(h.node(0).in_flight, 2);

  core::NodeMetrics high;
  high.mem_util = 0.95;
  h.scheduler.update_metrics(0, high);
  auto a = h.scheduler.take_actions();
  ASSERT_EQ(cancelled(a), V{2});  // 1 has started: it stays
  EXPECT_EQ(a.cancel[0].node, 0u);
  EXPECT_EQ(a.cancel[0].reason, "node memory above threshold");
  ASSERT_EQ(placed(a), V{2});
  EXPECT_EQ(a.dispatch[0].node, 1u);
  EXPECT_EQ(h.node(0).in_flight, 1);
  EXPECT_EQ(h.scheduler.snapshot().evacuated_total, 1u);

  // Nothing new goes there while memory stays high.
  auto b = h.submit(task(3));
  ASSERT_EQ(placed(b), V{3});
  EXPECT_EQ(b.dispatch[0].node, 1u);
  h.scheduler.update_metrics(0, core::NodeMetrics{});
  h.scheduler.take_actions();
  EXPECT_EQ(h.submit(task(4)).dispatch[0].node, 0u);
}

TEST(Evacuation, EvacuatedWorkWaitsWhenThereIsNowhereElse) {
  Harness h;
  h.add("n0", 2);
  h.submit(task(1));
  core::NodeMetrics high;
  high.mem_util = 0.97;
  h.scheduler.update_metrics(0, high);
  auto a = h.scheduler.take_actions();
  EXPECT_EQ(cancelled(a), V{1});
  EXPECT_TRUE(a.dispatch.empty());
  EXPECT_EQ(h.scheduler.snapshot().queued[1], 1u);
  // The gateway could not stop it and reports it finished: it leaves the queue.
  h.finish(1);
  EXPECT_EQ(h.scheduler.snapshot().queued[1], 0u);
  h.scheduler.update_metrics(0, core::NodeMetrics{});
  EXPECT_TRUE(h.scheduler.take_actions().empty());
}

}  // namespace
}  // namespace autoglm::sched
