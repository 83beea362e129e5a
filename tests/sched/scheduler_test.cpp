// The scheduler's events: immediate and queued dispatch, priority order and aging, head of
// line per model, the core's guard, cancellation and the dispatch budget.
#include "sched/scheduler.hpp"

#include <gtest/gtest.h>

#include "sched/priority.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using namespace testing;
using V = std::vector<TaskId>;

TEST(Scheduler, PlacesAtOnceWhenANodeHasRoom) {
  Harness h;
  h.add("n0", 2);
  auto a = h.submit(task(1));
  ASSERT_EQ(a.dispatch.size(), 1u);
  EXPECT_EQ(a.dispatch[0].task, 1u);
  EXPECT_EQ(a.dispatch[0].node, 0u);
  EXPECT_EQ(a.dispatch[0].queued_for, Duration::zero());
  EXPECT_EQ(a.dispatch[0].decision.policy, "first_fit");
  EXPECT_EQ(h.node(0).in_flight, 1);
  EXPECT_EQ(h.node(0).in_flight_tokens, 150);
  EXPECT_EQ(h.node(0).in_flight_interactive, 1);
}

TEST(Scheduler, QueuesWhenFullAndPlacesWhenASlotFrees) {
  Harness h;
  h.add("n0", 1);
  EXPECT_EQ(placed(h.submit(task(1))), V{1});
  EXPECT_TRUE(h.submit(task(2)).empty());
  h.clock.advance(3s);
  auto a = h.finish(1);
  ASSERT_EQ(placed(a), V{2});
  EXPECT_EQ(a.dispatch[0].queued_for, Duration(3s));
  EXPECT_EQ(h.node(0).in_flight, 1);
  EXPECT_EQ(h.node(0).in_flight_tokens, 150);
}

TEST(Scheduler, DispatchesQueuedWorkInPriorityOrder) {
  Harness h;
  h.add("n0", 1);
  h.submit(task(100));  // fills the node
  h.submit(task(1, PriorityClass::kSheddable));
  h.submit(task(2, PriorityClass::kBatch));
  auto low_standard = task(3);
  low_standard.priority_level = 4;
  h.submit(low_standard);
  auto batch_latency = task(4);
  batch_latency.latency = core::LatencyClass::kBatch;
  h.submit(batch_latency);
  h.submit(task(5));
  h.submit(task(6, PriorityClass::kCritical));
  h.submit(task(7));  // same priority as 5: after it
  V order;
  TaskId running = 100;
  for (int i = 0; i < 7; ++i) {
    auto a = h.finish(running);
    ASSERT_EQ(a.dispatch.size(), 1u);
    running = a.dispatch[0].task;
    order.push_back(running);
  }
  EXPECT_EQ(order, (V{6, 5, 7, 3, 4, 2, 1}));
}

// A sheddable task that waited longer than the aging bound goes before fresh standard work;
// one that waited less does not. The bound comes from the options.
TEST(Scheduler, AgingLetsOldLowPriorityWorkOvertakeFreshWork) {
  SchedulerOptions options;
  options.queue_timeout[3] = 600s;  // let sheddable work wait long enough to age
  const double bound =
      seconds_to_outrank(base_priority(task(0, PriorityClass::kSheddable), options),
                         base_priority(task(0), options), options);
  EXPECT_DOUBLE_EQ(bound, (600.0 - 60.0) / 20.0);  // (500+50+50) - (0+10+50) over 20/s
  for (double margin : {+0.5, -0.5}) {
    Harness h(options);
    h.add("n0", 1);
    h.submit(task(100));
    h.submit(task(1, PriorityClass::kSheddable));
    h.clock.advance(core::from_ms((bound + margin) * 1000));
    h.submit(task(2));
    h.submit(task(3));
    auto a = h.finish(100);
    EXPECT_EQ(placed(a), margin > 0 ? V{1} : V{2}) << "margin " << margin;
  }
}

TEST(Scheduler, ANewcomerDoesNotOvertakeQueuedWorkOfItsModel) {
  Harness h;
  h.add("n0", 1);
  h.submit(task(100));
  h.submit(task(1, PriorityClass::kCritical));
  EXPECT_TRUE(h.submit(task(2)).empty());
  EXPECT_EQ(placed(h.finish(100)), V{1});
}

TEST(Scheduler, HeadOfLineBlockingIsPerModel) {
  Harness h;
  h.add("a0", 1, {"a"});
  h.add("b0", 1, {"b"});
  h.submit(task(100, PriorityClass::kStandard, "a"));
  h.submit(task(200, PriorityClass::kStandard, "b"));
  h.submit(task(1, PriorityClass::kCritical, "a"));  // waits for a0
  h.submit(task(2, PriorityClass::kBatch, "b"));     // waits for b0
  // b0 frees: the batch task of model b goes although a critical one of model a waits.
  EXPECT_EQ(placed(h.finish(200)), V{2});
  EXPECT_EQ(placed(h.finish(100)), V{1});
}

TEST(Scheduler, RejectsUnknownModelsAndRepeatedIds) {
  Harness h;
  h.add("n0", 4);
  auto a = h.submit(task(1, PriorityClass::kStandard, "nope"));
  ASSERT_EQ(a.reject.size(), 1u);
  EXPECT_EQ(a.reject[0].status.code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(a.reject[0].status.param(), "model");
  h.submit(task(2));
  a = h.submit(task(2));
  ASSERT_EQ(a.reject.size(), 1u);
  EXPECT_EQ(a.reject[0].status.code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(h.node(0).in_flight, 1);
}

// The policy below has no filters at all: only the core keeps work off these nodes.
TEST(Scheduler, NeverPlacesOnUnhealthyDrainingFullOrHotNodes) {
  Harness h;
  for (int i = 0; i < 6; ++i) h.add("n" + std::to_string(i), 1);
  h.scheduler.set_healthy(0, false);
  h.scheduler.set_draining(1, true);
  h.submit(task(100));  // n0 is down and n1 draining: lands on n2 and fills it
  EXPECT_EQ(h.node(2).in_flight, 1);
  core::NodeMetrics hot_cpu;
  hot_cpu.cpu_util = 0.9;
  h.scheduler.update_metrics(3, hot_cpu);
  core::NodeMetrics full_memory;
  full_memory.mem_util = 0.95;
  h.scheduler.update_metrics(4, full_memory);
  h.scheduler.take_actions();

  auto a = h.submit(task(1));
  ASSERT_EQ(a.dispatch.size(), 1u);
  EXPECT_EQ(a.dispatch[0].node, 5u);
  EXPECT_TRUE(h.submit(task(2)).empty());  // nowhere left: queued

  core::NodeMetrics cool;
  cool.cpu_util = 0.5;
  h.scheduler.update_metrics(3, cool);
  a = h.scheduler.take_actions();
  ASSERT_EQ(a.dispatch.size(), 1u);
  EXPECT_EQ(a.dispatch[0].node, 3u);
}

TEST(Scheduler, QueuedWorkMovesWhenANodeRecoversOrStopsDraining) {
  Harness h;
  h.add("n0", 1);
  h.scheduler.set_healthy(0, false);
  EXPECT_TRUE(h.submit(task(1)).empty());
  h.scheduler.set_healthy(0, true);
  EXPECT_EQ(placed(h.scheduler.take_actions()), V{1});
  h.finish(1);
  h.scheduler.set_draining(0, true);
  EXPECT_TRUE(h.submit(task(2)).empty());
  h.scheduler.set_draining(0, false);
  EXPECT_EQ(placed(h.scheduler.take_actions()), V{2});
}

TEST(Scheduler, CancelledTasksLeaveTheQueueOrFreeTheirSlot) {
  Harness h;
  h.add("n0", 1);
  h.submit(task(1));
  h.submit(task(2));
  h.submit(task(3));
  h.scheduler.cancelled(2);  // queued: just gone
  EXPECT_TRUE(h.scheduler.take_actions().empty());
  h.scheduler.cancelled(1);  // running: the slot goes to 3
  EXPECT_EQ(placed(h.scheduler.take_actions()), V{3});
  EXPECT_EQ(h.node(0).in_flight, 1);
  h.scheduler.cancelled(42);  // unknown: ignored
  EXPECT_TRUE(h.scheduler.take_actions().empty());
  EXPECT_EQ(h.scheduler.snapshot().in_flight, 1u);
}

TEST(Scheduler, DispatchFromTheQueueIsBoundedPerEvent) {
  SchedulerOptions options;
  options.dispatch_budget = 2;
  Harness h(options);
  h.add("n0", 10);
  h.scheduler.set_healthy(0, false);
  for (TaskId id = 1; id <= 5; ++id) h.submit(task(id));
  h.scheduler.set_healthy(0, true);
  EXPECT_EQ(placed(h.scheduler.take_actions()), (V{1, 2}));
  EXPECT_EQ(placed(h.tick()), (V{3, 4}));
  EXPECT_EQ(placed(h.tick()), (V{5}));
}

TEST(Scheduler, PerModelPoliciesOverrideTheDefault) {
  Harness h;
  h.add("n0", 4, {"a", "b"});
  h.scheduler.set_model_policy("b", first_fit("for_b"));
  EXPECT_EQ(h.scheduler.policy_for("b").name(), "for_b");
  EXPECT_EQ(h.scheduler.policy_for("a").name(), "first_fit");
  EXPECT_EQ(h.submit(task(1, PriorityClass::kStandard, "a")).dispatch[0].decision.policy,
            "first_fit");
  EXPECT_EQ(h.submit(task(2, PriorityClass::kStandard, "b")).dispatch[0].decision.policy, "for_b");
}

TEST(Scheduler, WorksWithPresetPolicies) {
  for (const char* name : {"least_request", "round_robin"}) {
    Harness h({}, preset_pipeline(name));
    h.add("n0", 2);
    h.add("n1", 2);
    for (TaskId id = 1; id <= 4; ++id) EXPECT_EQ(h.submit(task(id)).dispatch.size(), 1u) << name;
    EXPECT_EQ(h.node(0).in_flight, 2) << name;  // both spread over the two nodes
    EXPECT_EQ(h.node(1).in_flight, 2) << name;
    EXPECT_TRUE(h.submit(task(5)).empty()) << name;  // full: queued
    EXPECT_EQ(placed(h.finish(3)), V{5}) << name;
  }
}

// A node in slow start takes about its warmup share of what it would otherwise get.
TEST(Scheduler, AWarmingNodeTakesItsSlowStartShare) {
  Harness h({}, preset_pipeline("round_robin"));
  h.add("warm", 0);
  h.add("ramping", 0);
  h.scheduler.set_warmup(1, 0.2);
  EXPECT_DOUBLE_EQ(h.node(1).warmup, 0.2);
  int to_ramping = 0;
  constexpr int kTasks = 2000;
  for (TaskId id = 1; id <= kTasks; ++id) {
    for (const auto& p : h.submit(task(id)).dispatch) to_ramping += p.node == 1 ? 1 : 0;
    h.finish(id);
  }
  // Round robin alone would give it half; the filter admits it on a fifth of its turns.
  EXPECT_NEAR(static_cast<double>(to_ramping) / kTasks, 0.2 / 1.2, 0.04);
  h.scheduler.set_warmup(1, 1.0);
  to_ramping = 0;
  for (TaskId id = kTasks + 1; id <= 2 * kTasks; ++id) {
    for (const auto& p : h.submit(task(id)).dispatch) to_ramping += p.node == 1 ? 1 : 0;
    h.finish(id);
  }
  EXPECT_NEAR(static_cast<double>(to_ramping) / kTasks, 0.5, 0.02);
}

}  // namespace
}  // namespace autoglm::sched
