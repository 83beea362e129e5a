#include "sched/ready_queue.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "sched/priority.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using core::PriorityClass;
using testing::task;
using namespace std::chrono_literals;

QueuedTask queued(TaskId id, double key, PriorityClass cls = PriorityClass::kStandard,
                  std::string model = "m", core::Time at = core::Time{0}) {
  return QueuedTask{task(id, cls, std::move(model)), at, at, key, 0};
}

TEST(ReadyQueue, PopsHighestKeyFirstAndFifoAmongEqualKeys) {
  ReadyQueue q;
  q.push(queued(1, 10));
  q.push(queued(2, 30));
  q.push(queued(3, 20));
  q.push(queued(4, 30));
  std::vector<TaskId> order;
  while (!q.empty()) order.push_back(q.pop().spec.id);
  EXPECT_EQ(order, (std::vector<TaskId>{2, 4, 3, 1}));
}

TEST(ReadyQueue, RemovesFromTheMiddleAndKeepsOrder) {
  ReadyQueue q;
  for (TaskId id = 1; id <= 7; ++id) q.push(queued(id, static_cast<double>(id)));
  ASSERT_TRUE(q.remove(4).has_value());
  EXPECT_FALSE(q.remove(4).has_value());
  EXPECT_FALSE(q.contains(4));
  EXPECT_EQ(q.size(), 6u);
  std::vector<TaskId> order;
  while (!q.empty()) order.push_back(q.pop().spec.id);
  EXPECT_EQ(order, (std::vector<TaskId>{7, 6, 5, 3, 2, 1}));
}

TEST(ReadyQueue, KeepsOneLanePerModel) {
  ReadyQueue q;
  q.push(queued(1, 5, PriorityClass::kStandard, "a"));
  q.push(queued(2, 9, PriorityClass::kStandard, "b"));
  q.push(queued(3, 7, PriorityClass::kStandard, "a"));
  ASSERT_EQ(q.lane_count(), 2u);
  const auto a = *q.lane_of("a");
  const auto b = *q.lane_of("b");
  EXPECT_EQ(q.lane_model(a), "a");
  EXPECT_EQ(q.top(a)->spec.id, 3u);
  EXPECT_EQ(q.top(b)->spec.id, 2u);
  EXPECT_EQ(q.top()->spec.id, 2u);  // best over all lanes
  EXPECT_EQ(q.pop(b).spec.id, 2u);
  EXPECT_TRUE(q.lane_empty(b));
  EXPECT_EQ(q.top(b), nullptr);
  EXPECT_FALSE(q.lane_of("c").has_value());
}

TEST(ReadyQueue, CountsPerClassAndKnowsOldestAndNewest) {
  ReadyQueue q;
  q.push(queued(1, 0, PriorityClass::kSheddable));
  q.push(queued(2, 0, PriorityClass::kBatch));
  q.push(queued(3, 0, PriorityClass::kSheddable));
  q.push(queued(4, 0, PriorityClass::kSheddable));
  EXPECT_EQ(q.size(PriorityClass::kSheddable), 3u);
  EXPECT_EQ(q.size(PriorityClass::kBatch), 1u);
  EXPECT_EQ(q.size(PriorityClass::kCritical), 0u);
  EXPECT_EQ(q.sizes(), (std::array<std::size_t, 4>{0, 0, 1, 3}));
  EXPECT_EQ(q.oldest(PriorityClass::kSheddable)->spec.id, 1u);
  EXPECT_EQ(q.newest(PriorityClass::kSheddable)->spec.id, 4u);
  q.remove(4);
  EXPECT_EQ(q.newest(PriorityClass::kSheddable)->spec.id, 3u);
  q.remove(1);
  EXPECT_EQ(q.oldest(PriorityClass::kSheddable)->spec.id, 3u);
  EXPECT_EQ(q.oldest(PriorityClass::kCritical), nullptr);
}

TEST(ReadyQueue, TracksTheEarliestDeadline) {
  ReadyQueue q;
  EXPECT_EQ(q.earliest_deadline(), nullptr);
  auto a = queued(1, 0);
  a.spec.deadline = 5s;
  auto b = queued(2, 0, PriorityClass::kStandard, "m", core::Time{1s});
  b.spec.deadline = 2s;  // due at 3 s
  q.push(std::move(a));
  q.push(std::move(b));
  q.push(queued(3, 0));  // no deadline
  EXPECT_EQ(q.earliest_deadline()->spec.id, 2u);
  q.remove(2);
  EXPECT_EQ(q.earliest_deadline()->spec.id, 1u);
  q.pop();  // any order: key ties, FIFO -> 1
  EXPECT_EQ(q.earliest_deadline(), nullptr);
}

// Against a sorted reference: random pushes, pops and removals keep the same order. Keys
// mostly fall with arrival inside a group (the runs) and sometimes jump up (loose tasks).
TEST(ReadyQueue, MatchesAReferenceUnderRandomOperations) {
  std::mt19937_64 rng(7);
  ReadyQueue q;
  struct Ref {
    double key;
    TaskId id;  // ids grow with pushes, so id orders FIFO
    PriorityClass cls;
  };
  std::vector<Ref> ref;
  TaskId next = 1;
  double clock = 0;
  for (int step = 0; step < 10000; ++step) {
    const int op = static_cast<int>(rng() % 5);
    if (op <= 2 || ref.empty()) {  // the queue grows to about 2000 tasks
      const auto cls = static_cast<PriorityClass>(rng() % 4);
      auto t = queued(next, 0, cls);
      t.spec.priority_level = static_cast<int>(rng() % 3);
      t.spec.latency = rng() % 2 ? core::LatencyClass::kBatch : core::LatencyClass::kInteractive;
      clock += static_cast<double>(rng() % 3);  // ties happen
      const double base = 100.0 * static_cast<int>(cls) + 10.0 * t.spec.priority_level;
      t.key = rng() % 8 == 0 ? base - clock + static_cast<double>(rng() % 40)  // requeued
                             : base - clock;
      ref.push_back(Ref{t.key, next++, cls});
      q.push(std::move(t));
    } else if (op == 3) {
      auto best = ref.begin();
      for (auto it = ref.begin(); it != ref.end(); ++it) {
        if (it->key > best->key || (it->key == best->key && it->id < best->id)) best = it;
      }
      ASSERT_EQ(q.top()->spec.id, best->id);
      ASSERT_EQ(q.pop().spec.id, best->id);
      ref.erase(best);
    } else {
      const auto victim = ref.begin() + static_cast<long>(rng() % ref.size());
      ASSERT_TRUE(q.remove(victim->id).has_value());
      ref.erase(victim);
    }
    ASSERT_EQ(q.size(), ref.size());
    for (int c = 0; c < 4; ++c) {
      const auto cls = static_cast<PriorityClass>(c);
      const Ref* oldest = nullptr;
      const Ref* newest = nullptr;
      for (const auto& r : ref) {
        if (r.cls != cls) continue;
        if (!oldest) oldest = &r;
        newest = &r;
      }
      ASSERT_EQ(q.oldest(cls) ? q.oldest(cls)->spec.id : 0, oldest ? oldest->id : 0);
      ASSERT_EQ(q.newest(cls) ? q.newest(cls)->spec.id : 0, newest ? newest->id : 0);
    }
  }
}

TEST(Priority, KeyOrderEqualsEffectivePriorityOrderAtAnyTime) {
  SchedulerOptions options;
  auto shed = task(1, PriorityClass::kSheddable);
  auto standard = task(2, PriorityClass::kStandard);
  const core::Time shed_arrival{0};
  const core::Time std_arrival{10s};
  for (auto now : {core::Time{10s}, core::Time{40s}, core::Time{100s}}) {
    const double eff_shed = effective_priority(shed, shed_arrival, now, options);
    const double eff_std = effective_priority(standard, std_arrival, now, options);
    const double key_shed = priority_key(shed, shed_arrival, options);
    const double key_std = priority_key(standard, std_arrival, options);
    EXPECT_EQ(eff_shed > eff_std, key_shed > key_std);
    EXPECT_NEAR(eff_shed - eff_std, key_shed - key_std, 1e-9);
  }
}

TEST(Priority, BaseFollowsTheFormula) {
  SchedulerOptions options;
  auto t = task(1, PriorityClass::kCritical);
  t.priority_level = 8;
  t.latency = core::LatencyClass::kInteractive;
  EXPECT_DOUBLE_EQ(base_priority(t, options), 1000 + 10 * 8 + 50);
  t.latency = core::LatencyClass::kBatch;
  EXPECT_DOUBLE_EQ(base_priority(t, options), 1000 + 10 * 8);
  EXPECT_DOUBLE_EQ(effective_priority(t, core::Time{0}, core::Time{3s}, options),
                   1000 + 80 + 3 * 20);
  EXPECT_DOUBLE_EQ(seconds_to_outrank(100, 300, options), 10.0);
  EXPECT_DOUBLE_EQ(seconds_to_outrank(300, 100, options), 0.0);
}

}  // namespace
}  // namespace autoglm::sched
