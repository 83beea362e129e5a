// Fair queueing between tenants of one priority group in the ready queue, and through the
// scheduler: a noisy tenant's backlog cannot starve another tenant's requests.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "sched/priority.hpp"
#include "sched/ready_queue.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using core::PriorityClass;
using testing::task;
using namespace std::chrono_literals;

// A task of `tenant` arriving at `ms`, keyed as the scheduler keys it.
QueuedTask arriving(TaskId id, std::string tenant, int ms,
                    PriorityClass cls = PriorityClass::kStandard) {
  TaskSpec spec = task(id, cls);
  spec.tenant = std::move(tenant);
  const core::Time at = core::Time{std::chrono::milliseconds(ms)};
  const double key = priority_key(spec, at, SchedulerOptions{});
  return QueuedTask{std::move(spec), at, at, key, 0};
}

std::vector<TaskId> drain(ReadyQueue& q, std::size_t n = SIZE_MAX) {
  std::vector<TaskId> out;
  while (!q.empty() && out.size() < n) out.push_back(q.pop().spec.id);
  return out;
}

TEST(FairQueue, QuietTenantInterleavesWithANoisyBacklog) {
  ReadyQueue q;
  for (TaskId id = 1; id <= 1000; ++id) q.push(arriving(id, "noisy", static_cast<int>(id)));
  for (TaskId id = 2001; id <= 2003; ++id) q.push(arriving(id, "quiet", 5000));
  EXPECT_EQ(drain(q, 7), (std::vector<TaskId>{1, 2001, 2, 2002, 3, 2003, 4}));
  EXPECT_EQ(q.size(), 996u);
}

TEST(FairQueue, ThreeTenantsTakeTurnsInTheOrderTheyStartedWaiting) {
  ReadyQueue q;
  for (int i = 0; i < 3; ++i) {
    q.push(arriving(10 + i, "a", 3 * i));
    q.push(arriving(20 + i, "b", 3 * i + 1));
    q.push(arriving(30 + i, "c", 3 * i + 2));
  }
  EXPECT_EQ(drain(q), (std::vector<TaskId>{10, 20, 30, 11, 21, 31, 12, 22, 32}));
}

TEST(FairQueue, SingleTenantOrderIsUnchanged) {
  // Same pushes with one tenant and with the default tenant: the same pops, which are
  // by key then FIFO, whatever the groups and requeues.
  std::mt19937_64 rng(7);
  ReadyQueue named;
  ReadyQueue plain;
  std::vector<QueuedTask> pushed;
  for (TaskId id = 1; id <= 2000; ++id) {
    const auto cls = static_cast<PriorityClass>(rng() % 4);
    const int at = static_cast<int>(id * 3 - (rng() % 5 == 0 ? rng() % 2000 : 0));  // requeues
    QueuedTask t = arriving(id, "acme", std::max(at, 0), cls);
    QueuedTask u = t;
    u.spec.tenant.clear();
    named.push(std::move(t));
    plain.push(std::move(u));
    if (rng() % 7 == 0) {  // cancellations in the middle
      const TaskId gone = 1 + rng() % id;
      EXPECT_EQ(named.remove(gone).has_value(), plain.remove(gone).has_value());
    }
    if (rng() % 3 == 0 && !named.empty()) {
      EXPECT_EQ(named.pop().spec.id, plain.pop().spec.id);
    }
  }
  std::vector<QueuedTask> rest;
  while (!named.empty()) {
    const QueuedTask* expected = named.top();
    EXPECT_EQ(named.rank(*named.lane_of("m")).key, expected->key);
    QueuedTask t = named.pop();
    EXPECT_EQ(t.spec.id, plain.pop().spec.id);
    rest.push_back(std::move(t));
  }
  for (std::size_t i = 1; i < rest.size(); ++i) {
    EXPECT_TRUE(!ReadyQueue::before(rest[i].key, rest[i].seq, rest[i - 1].key, rest[i - 1].seq))
        << "at " << i;
  }
}

TEST(FairQueue, ClassesStillOrderAcrossTenants) {
  ReadyQueue q;
  for (TaskId id = 1; id <= 100; ++id) q.push(arriving(id, "noisy", static_cast<int>(id)));
  q.push(arriving(500, "quiet", 1000, PriorityClass::kBatch));
  q.push(arriving(501, "quiet", 1000, PriorityClass::kCritical));
  EXPECT_EQ(q.pop().spec.id, 501u);  // critical first, whoever sent it
  std::vector<TaskId> order = drain(q);
  EXPECT_EQ(order.back(), 500u);  // a fresh batch task waits for standard work
}

TEST(FairQueue, RankIsTheOldestTaskOfTheGroupServedNext) {
  ReadyQueue q;
  q.push(arriving(1, "a", 0));
  q.push(arriving(2, "a", 1));
  q.push(arriving(3, "b", 2));
  const auto lane = *q.lane_of("m");
  EXPECT_EQ(q.pop(lane).spec.id, 1u);
  EXPECT_EQ(q.top(lane)->spec.id, 3u);           // b's turn
  EXPECT_EQ(q.rank(lane).key, q.find(2)->key);   // but the group ranks by a's older task
  EXPECT_EQ(q.rank(lane).seq, q.find(2)->seq);
}

TEST(FairQueue, RemovingATenantsLastTaskPassesTheTurn) {
  ReadyQueue q;
  q.push(arriving(1, "a", 0));
  q.push(arriving(2, "a", 1));
  q.push(arriving(3, "b", 2));
  q.push(arriving(4, "c", 3));
  EXPECT_EQ(q.pop().spec.id, 1u);  // turn passes to b
  ASSERT_TRUE(q.remove(3));         // b cancels: c has the turn
  EXPECT_EQ(drain(q), (std::vector<TaskId>{4, 2}));
  q.push(arriving(5, "b", 10));  // rings rebuild from empty
  q.push(arriving(6, "a", 11));
  EXPECT_EQ(drain(q), (std::vector<TaskId>{5, 6}));
}

TEST(FairQueue, SchedulerServesTheQuietTenantDespiteANoisyBacklog) {
  testing::Harness h;
  h.add("n1", 1);
  TaskId id = 1;
  std::vector<TaskId> placed = testing::placed(h.submit([&] {
    TaskSpec t = task(id++);
    t.tenant = "noisy";
    return t;
  }()));
  for (; id <= 1000; ++id) {
    TaskSpec t = task(id);
    t.tenant = "noisy";
    h.submit(std::move(t));
  }
  h.clock.advance(1ms);
  for (TaskId q = 5001; q <= 5003; ++q) {
    TaskSpec t = task(q);
    t.tenant = "quiet";
    h.submit(std::move(t));
  }
  for (int i = 0; i < 8; ++i) {
    for (TaskId p : testing::placed(h.finish(placed.back()))) placed.push_back(p);
  }
  // Task 1 ran first; then noisy and quiet alternate.
  EXPECT_EQ(placed, (std::vector<TaskId>{1, 2, 5001, 3, 5002, 4, 5003, 5, 6}));
}

}  // namespace
}  // namespace autoglm::sched
