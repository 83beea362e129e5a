// Seeded random event sequences over random node states. After every event the actions are
// checked against a model of where each task is: no placement on a forbidden node, never
// over capacity, actions only for tasks in the right state, and in the end every task
// ends exactly once. The same seed gives the same actions (determinism).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <sstream>

#include "sched/scheduler.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using namespace testing;

enum class Where { kQueued, kRunning, kDone };

struct NodeState {
  bool healthy = true;
  bool draining = false;
  core::NodeMetrics metrics;
};

class Scenario {
 public:
  Scenario(std::uint64_t seed, int policy)
      : rng_(seed), harness_(options(), pipeline(policy), seed) {}

  // Runs `events` random events, then drains; returns a transcript of every action.
  std::string run(int events) {
    add_nodes();
    for (int i = 0; i < events && !::testing::Test::HasFatalFailure(); ++i) random_event();
    drain();
    for (const auto& [id, count] : terminals_) EXPECT_EQ(count, 1) << "task " << id;
    EXPECT_EQ(terminals_.size(), submitted_);
    return log_.str();
  }

 private:
  static SchedulerOptions options() {
    SchedulerOptions o;
    o.queue_bound = {4, 6, 6, 4};
    o.total_queue_bound = 12;
    o.queue_timeout = {3s, 2s, 5s, 1s};
    o.dispatch_budget = 16;
    return o;
  }
  static std::unique_ptr<policy::Pipeline> pipeline(int which) {
    switch (which) {
      case 0:
        return first_fit();  // no filters: the core alone guards
      case 1:
        return preset_pipeline("least_request");
      default:
        return preset_pipeline("random");
    }
  }
  Scheduler& s() { return harness_.scheduler; }
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  void add_nodes() {
    const std::vector<std::string> models{"a", "b", "c"};
    const std::size_t n = 2 + pick(5);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::string> serves;
      for (const auto& m : models) {
        if (uniform() < 0.6) serves.push_back(m);
      }
      if (serves.empty()) serves.push_back(models[pick(3)]);
      harness_.add("n" + std::to_string(i), static_cast<int>(pick(4)), serves);
      nodes_.emplace_back();
      counts_.push_back(0);
    }
  }

  // A task id in `where`, or 0.
  TaskId any(Where where) {
    std::vector<TaskId> ids;
    for (const auto& [id, w] : where_) {
      if (w == where) ids.push_back(id);
    }
    return ids.empty() ? 0 : ids[pick(ids.size())];
  }

  void random_event() {
    const double r = uniform();
    if (r < 0.35) {
      submit();
    } else if (r < 0.45) {
      if (TaskId id = any(Where::kRunning)) {
        s().started(id);
        started_[id] = true;
      }
    } else if (r < 0.60) {
      if (TaskId id = any(Where::kRunning)) finish(id, uniform() < 0.9);
    } else if (r < 0.68) {
      if (TaskId id = any(uniform() < 0.5 ? Where::kQueued : Where::kRunning)) client_cancel(id);
    } else if (r < 0.83) {
      harness_.clock.advance(std::chrono::milliseconds(pick(800)));
      s().tick();
    } else {
      node_event(pick(nodes_.size()));
    }
    check(s().take_actions());
  }

  void submit() {
    const TaskId id = next_id_++;
    auto t = task(id, static_cast<PriorityClass>(pick(4)), std::string(1, "abcd"[pick(4)]));
    t.latency = uniform() < 0.5 ? core::LatencyClass::kInteractive : core::LatencyClass::kBatch;
    if (uniform() < 0.3) t.preemptible = true;
    if (uniform() < 0.2) t.deadline = std::chrono::milliseconds(pick(3000));
    models_[id] = t.model;
    where_[id] = Where::kQueued;
    ++submitted_;
    s().submit(t);
  }

  void finish(TaskId id, bool ok) {
    TaskResult result;
    result.ok = ok;
    result.ttft = std::chrono::milliseconds(10 + pick(200));
    result.e2e = result.ttft + std::chrono::milliseconds(pick(2000));
    result.output_tokens = static_cast<std::int64_t>(pick(300));
    s().finished(id, result);
    end_by_client(id);
  }

  void client_cancel(TaskId id) {
    s().cancelled(id);
    end_by_client(id);
  }

  void end_by_client(TaskId id) {
    if (where_[id] == Where::kRunning) --counts_[node_of_[id]];
    where_[id] = Where::kDone;
    ++terminals_[id];
  }

  void node_event(std::size_t i) {
    const auto node = static_cast<NodeIndex>(i);
    const double r = uniform();
    if (r < 0.5) {
      core::NodeMetrics m;
      m.cpu_util = uniform() < 0.3 ? -1 : uniform();
      m.mem_util = uniform() < 0.3 ? -1 : 0.5 + 0.5 * uniform();
      nodes_[i].metrics = m;
      s().update_metrics(node, m);
    } else if (r < 0.8) {
      nodes_[i].healthy = uniform() < 0.7;
      s().set_healthy(node, nodes_[i].healthy);
    } else {
      nodes_[i].draining = uniform() < 0.3;
      s().set_draining(node, nodes_[i].draining);
    }
  }

  bool allowed(NodeIndex n) const {
    const auto& st = nodes_[n];
    const auto& th = s_const().options().thresholds;
    return st.healthy && !st.draining && st.metrics.cpu_util <= th.cpu_pause &&
           st.metrics.mem_util <= th.memory_evacuate;
  }
  const Scheduler& s_const() const { return harness_.scheduler; }

  void check(const Actions& a) {
    std::map<TaskId, int> placed_now;
    for (const auto& c : a.cancel) {
      ASSERT_EQ(where_[c.task], Where::kRunning) << "cancel of task " << c.task;
      ASSERT_EQ(node_of_[c.task], c.node);
      if (c.reason == "node memory above threshold") {
        ASSERT_FALSE(started_[c.task]);
      }
      where_[c.task] = Where::kQueued;
      --counts_[c.node];
      log_ << "C" << c.task << "@" << c.node << " ";
    }
    for (const auto& p : a.dispatch) {
      ASSERT_EQ(where_[p.task], Where::kQueued) << "placement of task " << p.task;
      ASSERT_EQ(++placed_now[p.task], 1) << "task " << p.task << " placed twice in one batch";
      ASSERT_LT(p.node, nodes_.size());
      ASSERT_TRUE(allowed(p.node)) << "task " << p.task << " placed on forbidden node " << p.node;
      ASSERT_TRUE(s_const().nodes()[p.node].serves(models_[p.task]));
      where_[p.task] = Where::kRunning;
      node_of_[p.task] = p.node;
      started_[p.task] = false;
      ++counts_[p.node];
      log_ << "D" << p.task << "@" << p.node << " ";
    }
    for (const auto& r : a.reject) {
      ASSERT_EQ(where_[r.task], Where::kQueued) << "rejection of task " << r.task;
      where_[r.task] = Where::kDone;
      ++terminals_[r.task];
      log_ << "R" << r.task << ":" << static_cast<int>(r.status.code()) << " ";
    }
    log_ << "|";
    const auto views = s_const().nodes();
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      ASSERT_EQ(views[i].in_flight, counts_[i]) << "node " << i;
      if (views[i].capacity > 0) {
        ASSERT_LE(counts_[i], views[i].capacity) << "node " << i;
      }
    }
  }

  // Everything healthy and cool; finish what runs and let timeouts empty the queue.
  void drain() {
    for (std::size_t i = 0; i < nodes_.size() && !::testing::Test::HasFatalFailure(); ++i) {
      nodes_[i] = NodeState{};
      s().set_healthy(static_cast<NodeIndex>(i), true);
      s().set_draining(static_cast<NodeIndex>(i), false);
      s().update_metrics(static_cast<NodeIndex>(i), core::NodeMetrics{});
      check(s().take_actions());
    }
    for (int round = 0; round < 100 && !::testing::Test::HasFatalFailure(); ++round) {
      while (TaskId id = any(Where::kRunning)) {
        finish(id, true);
        check(s().take_actions());
      }
      if (!any(Where::kQueued)) break;
      harness_.clock.advance(10s);
      s().tick();
      check(s().take_actions());
    }
    for (const auto& [id, w] : where_) EXPECT_EQ(w, Where::kDone) << "task " << id;
  }

  std::mt19937_64 rng_;
  Harness harness_;
  std::vector<NodeState> nodes_;
  std::vector<int> counts_;
  std::map<TaskId, Where> where_;
  std::map<TaskId, NodeIndex> node_of_;
  std::map<TaskId, bool> started_;
  std::map<TaskId, std::string> models_;
  std::map<TaskId, int> terminals_;
  std::size_t submitted_ = 0;
  TaskId next_id_ = 1;
  std::ostringstream log_;
};

TEST(SchedulerProperties, InvariantsHoldUnderRandomEvents) {
  std::string all;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    all += Scenario(seed, static_cast<int>(seed % 3)).run(400);
    if (HasFatalFailure()) return;
  }
  // The sequences reach every kind of action, so the checks above were exercised.
  EXPECT_NE(all.find('C'), std::string::npos);  // preemption or evacuation
  EXPECT_NE(all.find('D'), std::string::npos);
  EXPECT_NE(all.find(":" + std::to_string(static_cast<int>(core::ErrorCode::kResourceExhausted))),
            std::string::npos);
  EXPECT_NE(all.find(":" + std::to_string(static_cast<int>(core::ErrorCode::kTimeout))),
            std::string::npos);
}

TEST(SchedulerProperties, SameSeedAndEventsGiveTheSameActions) {
  for (int policy = 0; policy < 3; ++policy) {
    const std::string first = Scenario(99, policy).run(300);
    const std::string second = Scenario(99, policy).run(300);
    EXPECT_EQ(first, second) << "policy " << policy;
    EXPECT_GT(first.size(), 300u);
  }
}

}  // namespace
}  // namespace autoglm::sched
