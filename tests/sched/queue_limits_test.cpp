// Admission, shedding and timeouts as the scheduler applies them.
#include <gtest/gtest.h>

#include "sched/scheduler.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using namespace testing;
using V = std::vector<TaskId>;

SchedulerOptions bounded(std::size_t total) {
  SchedulerOptions o;
  o.total_queue_bound = total;
  o.retry_after = 2s;
  return o;
}

TEST(QueueLimits, AFullClassQueueRejectsWithRetryAfter) {
  SchedulerOptions o = bounded(100);
  o.queue_bound[1] = 2;
  Harness h(o);
  h.add("n0", 1);
  h.submit(task(100));
  h.submit(task(1));
  h.submit(task(2));
  auto a = h.submit(task(3));
  ASSERT_EQ(rejected(a), V{3});
  EXPECT_EQ(a.reject[0].status.code(), core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(a.reject[0].retry_after, Duration(2s));
  EXPECT_NE(a.reject[0].status.message().find("standard queue is full"), std::string::npos);
  EXPECT_EQ(h.scheduler.snapshot().rejected_total[1], 1u);
  // Other classes still have room.
  EXPECT_TRUE(h.submit(task(4, PriorityClass::kBatch)).empty());
}

TEST(QueueLimits, AFullQueueShedsTheLowestClassNewestFirst) {
  Harness h(bounded(4));
  h.add("n0", 1);
  h.submit(task(100));
  h.submit(task(1, PriorityClass::kSheddable));
  h.clock.advance(1s);
  h.submit(task(2, PriorityClass::kSheddable));
  h.submit(task(3, PriorityClass::kBatch));
  h.submit(task(4, PriorityClass::kBatch));

  auto a = h.submit(task(5));
  EXPECT_EQ(rejected(a), V{2});  // sheddable, the newest
  EXPECT_EQ(a.reject[0].status.code(), core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(a.reject[0].retry_after, Duration(2s));
  EXPECT_EQ(rejected(h.submit(task(6))), V{1});  // then the older sheddable one
  EXPECT_EQ(rejected(h.submit(task(7, PriorityClass::kCritical))), V{4});  // then batch
  EXPECT_EQ(rejected(h.submit(task(8))), V{3});
  // Only standard and critical work left: the newcomer is turned away.
  a = h.submit(task(9, PriorityClass::kCritical));
  EXPECT_EQ(rejected(a), V{9});
  EXPECT_EQ(a.reject[0].retry_after, Duration(2s));

  auto snap = h.scheduler.snapshot();
  EXPECT_EQ(snap.shed_total, (std::array<std::uint64_t, 4>{0, 0, 2, 2}));
  EXPECT_EQ(snap.rejected_total[0], 1u);
  EXPECT_EQ(snap.queued, (std::array<std::size_t, 4>{1, 3, 0, 0}));
}

TEST(QueueLimits, LowClassesCannotShedTheirEqualsOrBetters) {
  Harness h(bounded(2));
  h.add("n0", 1);
  h.submit(task(100));
  h.submit(task(1, PriorityClass::kSheddable));
  h.submit(task(2, PriorityClass::kBatch));
  EXPECT_EQ(rejected(h.submit(task(3, PriorityClass::kSheddable))), V{3});
  EXPECT_EQ(rejected(h.submit(task(4, PriorityClass::kBatch))), V{1});  // batch sheds sheddable
  EXPECT_EQ(rejected(h.submit(task(5, PriorityClass::kBatch))), V{5});
}

TEST(QueueLimits, QueueTimeoutRejectsPerClass) {
  SchedulerOptions o;
  o.queue_timeout = {30s, 5s, 600s, 10s};
  o.retry_after = 3s;
  Harness h(o);
  h.add("n0", 1);
  h.submit(task(100));
  h.submit(task(1));
  h.submit(task(2, PriorityClass::kBatch));
  h.clock.advance(4900ms);
  EXPECT_TRUE(h.tick().empty());
  h.submit(task(3));  // a later standard task times out later
  h.clock.advance(200ms);
  auto a = h.tick();
  ASSERT_EQ(rejected(a), V{1});
  EXPECT_EQ(a.reject[0].status.code(), core::ErrorCode::kTimeout);
  EXPECT_EQ(a.reject[0].retry_after, Duration(3s));
  h.clock.advance(5s);
  EXPECT_EQ(rejected(h.tick()), V{3});
  auto snap = h.scheduler.snapshot();
  EXPECT_EQ(snap.timed_out_total, (std::array<std::uint64_t, 4>{0, 2, 0, 0}));
  EXPECT_EQ(snap.queued[2], 1u);  // batch waits up to 600 s
}

TEST(QueueLimits, ATasksOwnDeadlineExpiresWhileQueued) {
  Harness h;
  h.add("n0", 1);
  h.submit(task(100));
  auto t = task(1);
  t.deadline = 2s;
  h.submit(t);
  h.submit(task(2));
  h.clock.advance(1900ms);
  EXPECT_TRUE(h.tick().empty());
  h.clock.advance(100ms);
  auto a = h.tick();
  ASSERT_EQ(rejected(a), V{1});
  EXPECT_EQ(a.reject[0].status.code(), core::ErrorCode::kTimeout);
  EXPECT_EQ(placed(h.finish(100)), V{2});
  EXPECT_EQ(h.scheduler.snapshot().timed_out_total[1], 1u);
}

TEST(QueueLimits, AnAlreadyPassedDeadlineIsNotQueued) {
  Harness h;
  h.add("n0", 1);
  h.submit(task(100));
  auto t = task(1);
  t.deadline = Duration::zero();
  auto a = h.submit(t);
  ASSERT_EQ(rejected(a), V{1});
  EXPECT_EQ(a.reject[0].status.code(), core::ErrorCode::kTimeout);
}

}  // namespace
}  // namespace autoglm::sched
