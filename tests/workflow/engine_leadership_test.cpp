// WorkflowEngine on several replicas sharing one store: only the leader fires cron
// triggers and advances DAG runs (with its fencing token); followers still claim and run
// tasks; a leader that lost to a newer one (older token) cannot advance a trigger.
#include <optional>

#include "engine_test_support.hpp"

namespace autoglm::workflow::testing {
namespace {

using store::TaskState;

const char* kHourly =
    R"({"id": "hourly", "schedule": "0 * * * *", "timezone": "UTC", "overlap": "allow",
  "task": {"kind": "chat", "model": "autoglm-sim-8b",
           "payload": {"messages": [{"role": "user", "content": "tick"}]}}})";

const char* kTwoStep = R"({"name": "two", "tasks": [
  {"id": "A", "kind": "chat", "model": "autoglm-sim-8b",
   "payload": {"messages": [{"role": "user", "content": "a"}]}},
  {"id": "B", "requires": ["A"], "kind": "chat", "model": "autoglm-sim-8b",
   "payload": {"messages": [{"role": "user", "content": "after {{tasks.A.output}}"}]}}]})";

class LeadershipTest : public EngineTest {
 protected:
  std::unique_ptr<WorkflowEngine> replica(std::string owner, FakeExecutor& exec,
                                          std::optional<std::int64_t>* fence,
                                          std::vector<std::string> models = {}) {
    EngineOptions opts;
    opts.owner = std::move(owner);
    opts.models = std::move(models);
    opts.lease = 30s;
    opts.dag_rescan = 1s;
    opts.leadership = [fence] { return *fence; };
    return std::make_unique<WorkflowEngine>(*store_, exec, clock_, opts);
  }
  std::optional<std::int64_t> leader_fence_ = 7;
  std::optional<std::int64_t> follower_fence_;  // nullopt: not the leader
  FakeExecutor leader_exec_, follower_exec_;
};

TEST_F(LeadershipTest, OnlyTheLeaderFiresCron) {
  auto leader = replica("leader", leader_exec_, &leader_fence_);
  auto follower = replica("follower", follower_exec_, &follower_fence_);
  ASSERT_TRUE(follower->add_cron_trigger(kHourly));
  clock_.set(kStart + 1h);
  EXPECT_EQ(follower->step().cron_fired, 0);
  EXPECT_EQ(store_->list_tasks({})->tasks.size(), 0u);
  EXPECT_EQ(leader->step().cron_fired, 1);
  EXPECT_EQ(store_->list_tasks({})->tasks.size(), 1u);
}

TEST_F(LeadershipTest, FollowersRunTasksButTheLeaderAdvancesTheirDags) {
  // This leader claims no model, so every task runs on the follower.
  auto leader = replica("leader", leader_exec_, &leader_fence_, {"no-such-model"});
  auto follower = replica("follower", follower_exec_, &follower_fence_);
  auto run = follower->submit_dag(kTwoStep, {});
  ASSERT_TRUE(run) << run.status().message();
  follower->step();
  EXPECT_EQ(store_->dag_nodes(run->record.id)->at(0).state, TaskState::kPending)
      << "a follower released a DAG node";
  leader->step();  // releases A
  // The follower claims and runs A (claiming is for every replica)...
  follower->step();
  ASSERT_NE(follower_exec_.pending("A"), nullptr);
  follower_exec_.succeed(follower_exec_.pending("A"), chat_output("done"));
  follower->step();
  EXPECT_EQ(store_->dag_nodes(run->record.id)->at(1).state, TaskState::kPending)
      << "a follower released a DAG node";
  // ...and the leader, at its next rescan, releases B.
  clock_.set(kStart + 2s);
  leader->step();
  EXPECT_EQ(store_->dag_nodes(run->record.id)->at(1).state, TaskState::kQueued);
}

TEST_F(LeadershipTest, ALeaderWithAnOlderTokenCannotAdvanceATrigger) {
  std::optional<std::int64_t> old_fence = 5;
  auto old_leader = replica("old", follower_exec_, &old_fence);
  auto leader = replica("new", leader_exec_, &leader_fence_);
  ASSERT_TRUE(leader->add_cron_trigger(kHourly));
  clock_.set(kStart + 1h);
  EXPECT_EQ(leader->step().cron_fired, 1);  // token 7 recorded
  clock_.set(kStart + 2h);
  // The paused old leader wakes up believing it still leads: its firing resolves to the
  // slot's one task (idempotency key) and its advance is refused by the fence.
  old_leader->step();
  EXPECT_EQ(store_->get_trigger("hourly")->next_fire, kStart + 2h);
  EXPECT_EQ(leader->step().cron_fired, 1);
  EXPECT_EQ(store_->get_trigger("hourly")->next_fire, kStart + 3h);
  EXPECT_EQ(store_->list_tasks({})->tasks.size(), 2u) << "one task per slot";
}

}  // namespace
}  // namespace autoglm::workflow::testing
