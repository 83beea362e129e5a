// WorkflowEngine with DAGs and cron: the seed's DAG example (T1; T2 after T1; T3 after T1
// and T2) and its cron example (image classification every day at 08:00) end to end with a
// fake executor; failure skipping, cancel, resume after a restart, missed and overlap policies.
#include <filesystem>

#include "engine_test_support.hpp"

namespace autoglm::workflow::testing {
namespace {

using store::TaskState;

const char* kSeedDag = R"({"name": "report", "tasks": [
  {"id": "T1", "kind": "chat", "model": "autoglm-sim-8b",
   "payload": {"messages": [{"role": "user", "content": "Write a one-line summary of Q3."}]}},
  {"id": "T2", "requires": ["T1"], "kind": "chat", "model": "autoglm-sim-8b",
   "payload": {"messages": [{"role": "user", "content": "Translate: {{tasks.T1.output}}"}]}},
  {"id": "T3", "requires": ["T1", "T2"], "kind": "chat", "model": "autoglm-sim-8b",
   "payload": {"messages": [{"role": "user", "content": "Compare {{tasks.T1.output}} / {{tasks.T2.output}}"}]}}]})";

const std::string kSummary = "Revenue grew \\\"12%\\\" in Q3, led by cloud";

TEST_F(EngineTest, SeedDagRunsInOrderWithTemplatingAndCacheHints) {
  auto run = engine_->submit_dag(kSeedDag, {});
  ASSERT_TRUE(run) << run.status().message();
  EXPECT_EQ(engine_->step().dispatched, 1);
  auto* t1 = exec_.pending("T1");
  ASSERT_NE(t1, nullptr);
  EXPECT_EQ(exec_.pending("T2"), nullptr);
  exec_.succeed(t1, chat_output(kSummary), "node-a");

  EXPECT_EQ(engine_->step().dispatched, 1);
  auto* t2 = exec_.pending("T2");
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(
      t2->task.task.input.payload,
      R"({"messages":[{"role":"user","content":"Translate: Revenue grew \"12%\" in Q3, led by cloud"}]})");
  EXPECT_EQ(t2->task.preferred_node, "node-a");  // T2's prompt holds T1's output
  EXPECT_EQ(exec_.pending("T3"), nullptr);
  exec_.succeed(t2, chat_output("Les revenus ont augmente de 12%"), "node-b");

  EXPECT_EQ(engine_->step().dispatched, 1);
  auto* t3 = exec_.pending("T3");
  ASSERT_NE(t3, nullptr);
  EXPECT_NE(t3->task.task.input.payload.find("Les revenus"), std::string::npos);
  exec_.succeed(t3, chat_output("same"), "node-b");
  engine_->step();

  auto status = engine_->dag_status(run->record.id);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->run.state, TaskState::kSucceeded);
  ASSERT_EQ(status->nodes.size(), 3u);
  EXPECT_EQ(status->nodes[0].input.dag_node, "T1");
  EXPECT_EQ(status->nodes[2].input.dag_node, "T3");
  for (const auto& n : status->nodes) {
    EXPECT_EQ(n.state, TaskState::kSucceeded);
    EXPECT_EQ(n.attempts, 1);
  }
}

TEST_F(EngineTest, InvalidDagIsRejectedBeforeAnythingRuns) {
  auto bad = engine_->submit_dag(R"({"tasks": [{"id": "A", "model": "m", "requires": ["B"]},
                                               {"id": "B", "model": "m", "requires": ["A"]}]})",
                                 {});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("A -> B -> A"), std::string::npos)
      << bad.status().message();
  EXPECT_TRUE(store_->list_dag_runs(std::nullopt, 10)->empty());
}

TEST_F(EngineTest, FailedNodeSkipsDependentsAndFailsTheRun) {
  auto run = engine_->submit_dag(kSeedDag, {});
  engine_->step();
  exec_.fail(exec_.pending("T1"), "node exploded", false);
  engine_->step();
  auto status = engine_->dag_status(run->record.id);
  EXPECT_EQ(status->run.state, TaskState::kFailed);
  EXPECT_EQ(status->nodes[1].state, TaskState::kSkipped);
  EXPECT_EQ(status->nodes[2].state, TaskState::kSkipped);
  EXPECT_EQ(exec_.calls.size(), 1u);
}

TEST_F(EngineTest, CancelDagStopsRunningNodes) {
  auto run = engine_->submit_dag(kSeedDag, {});
  engine_->step();
  const auto t1 = exec_.pending("T1")->task.task.id;
  auto c = engine_->cancel_dag(run->record.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, TaskState::kCancelled);
  EXPECT_EQ(exec_.cancelled, (std::vector<store::TaskId>{t1}));
  exec_.succeed(exec_.pending("T1"), chat_output("late"));
  engine_->step();
  auto status = engine_->dag_status(run->record.id);
  ASSERT_TRUE(status);
  for (const auto& n : status->nodes) EXPECT_EQ(n.state, TaskState::kCancelled);
}

TEST(EngineRestart, DagResumesAfterTheProcessRestarts) {
  const auto path = (std::filesystem::temp_directory_path() /
                     ("autoglm-resume-" + std::to_string(::getpid()) + ".db"))
                        .string();
  core::ManualClock clock(kStart);
  store::DagRunId run = 0;
  {
    auto s = std::move(store::SqliteStore::open(path)).value();
    FakeExecutor exec;
    WorkflowEngine engine(*s, exec, clock, {});
    run = engine.submit_dag(kSeedDag, {})->record.id;
    engine.step();
    exec.succeed(exec.pending("T1"), chat_output(kSummary));
    // The process dies here: T1's result is committed, T2 not yet released.
  }
  {
    auto s = std::move(store::SqliteStore::open(path)).value();
    FakeExecutor exec;
    WorkflowEngine engine(*s, exec, clock, {});
    EXPECT_EQ(engine.step().dispatched, 1);
    ASSERT_NE(exec.pending("T2"), nullptr);
    exec.succeed(exec.pending("T2"), chat_output("b"));
    engine.step();
    exec.succeed(exec.pending("T3"), chat_output("c"));
    engine.step();
    EXPECT_EQ(engine.dag_status(run)->run.state, TaskState::kSucceeded);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST_F(EngineTest, EventTriggerCanStartADagRun) {
  ASSERT_TRUE(engine_->add_event_trigger(R"({"id": "pipeline", "event": "doc.uploaded", "dag":
      {"name": "ingest", "tasks": [{"id": "A", "model": "m", "payload": {"prompt": "{{event.payload.doc}}"}},
                                   {"id": "B", "model": "m", "requires": ["A"], "payload": {}}]}})"));
  auto out = engine_->post_event(R"({"name": "doc.uploaded", "payload": {"doc": "d-1"}})", {});
  ASSERT_TRUE(out) << out.status().message();
  ASSERT_EQ(out->dag_runs.size(), 1u);
  EXPECT_TRUE(out->tasks.empty());
  engine_->step();
  ASSERT_NE(exec_.pending("A"), nullptr);
  EXPECT_EQ(exec_.pending("A")->task.task.input.payload, R"({"prompt":"d-1"})");
  EXPECT_EQ(store_->get_dag_run(out->dag_runs[0])->input.trigger_id, "pipeline");
}

const char* kClassifyDaily = R"({"id": "classify-daily", "schedule": "0 8 * * *", "timezone": "UTC",
  "task": {"kind": "image_classification", "model": "vit-b16", "modality": "vision",
           "payload": {"images": ["s3://cams/today/*.jpg"]}}})";

TEST_F(EngineTest, SeedCronClassifiesImagesEveryDayAt0800) {
  auto trig = engine_->add_cron_trigger(kClassifyDaily);
  ASSERT_TRUE(trig) << trig.status().message();
  EXPECT_EQ(trig->next_fire, kStart + 1h);  // 08:00 today
  clock_.set(kStart + 59min);
  EXPECT_EQ(engine_->step().cron_fired, 0);
  clock_.set(kStart + 1h);
  auto report = engine_->step();
  EXPECT_EQ(report.cron_fired, 1);
  EXPECT_EQ(report.dispatched, 1);
  const auto& claimed = exec_.calls.at(0).task.task;
  EXPECT_EQ(claimed.input.kind, "image_classification");
  EXPECT_EQ(claimed.input.modality, "vision");
  exec_.succeed(exec_.pending(), R"({"labels": ["cat"]})");
  auto stored = *store_->get_trigger("classify-daily");
  EXPECT_EQ(stored.next_fire, kStart + 25h);  // 08:00 tomorrow
  EXPECT_EQ(stored.last_target, "task:" + std::to_string(claimed.id));
  clock_.set(kStart + 25h);
  EXPECT_EQ(engine_->step().cron_fired, 1);
  EXPECT_EQ(exec_.calls.size(), 2u);
}

TEST_F(EngineTest, CronMissedSlotsFollowThePolicy) {
  std::string body = kClassifyDaily;
  body.replace(body.find("\"timezone\""), 0, R"("missed": "run_once", )");
  ASSERT_TRUE(engine_->add_cron_trigger(body));
  clock_.set(kStart + 1h + 72h + 30min);  // down for three days
  EXPECT_EQ(engine_->step().cron_fired, 1);
  EXPECT_EQ(store_->get_trigger("classify-daily")->next_fire, kStart + 97h);
  ASSERT_TRUE(engine_->remove_trigger("classify-daily"));
  body.replace(body.find("run_once"), 8, "run_all");
  clock_.set(kStart);
  ASSERT_TRUE(engine_->add_cron_trigger(body));
  clock_.set(kStart + 1h + 72h + 30min);
  EXPECT_EQ(engine_->step().cron_fired, 4);
}

TEST_F(EngineTest, CronOverlapSkipDropsTheSlotWhileTheLastRunIsBusy) {
  ASSERT_TRUE(engine_->add_cron_trigger(kClassifyDaily));
  clock_.set(kStart + 1h);
  engine_->step();  // fires and dispatches; never finishes
  clock_.set(kStart + 25h);
  auto report = engine_->step();
  EXPECT_EQ(report.cron_fired, 0);
  EXPECT_EQ(store_->get_trigger("classify-daily")->next_fire, kStart + 49h);
}

TEST_F(EngineTest, CronOverlapQueueHoldsTheSlotUntilTheLastRunEnds) {
  std::string body = kClassifyDaily;
  body.replace(body.find("\"timezone\""), 0, R"("overlap": "queue", "missed": "run_once", )");
  ASSERT_TRUE(engine_->add_cron_trigger(body));
  clock_.set(kStart + 1h);
  engine_->step();
  clock_.set(kStart + 25h);
  EXPECT_EQ(engine_->step().cron_fired, 0);
  EXPECT_EQ(store_->get_trigger("classify-daily")->next_fire, kStart + 25h);
  exec_.succeed(exec_.pending(), "{}");
  clock_.set(kStart + 25h + 10min);
  EXPECT_EQ(engine_->step().cron_fired, 1);
}

TEST_F(EngineTest, CronFiringIsIdempotentPerSlot) {
  ASSERT_TRUE(engine_->add_cron_trigger(kClassifyDaily));
  clock_.set(kStart + 1h);
  FakeExecutor other;
  auto replica2 = make_engine("replica-2", &other);
  // Both replicas see the slot due; the slot's idempotency key yields one task.
  auto trig = *store_->get_trigger("classify-daily");
  engine_->step();
  ASSERT_TRUE(store_->put_trigger(trig));  // replica 2 read the trigger before the advance
  replica2->step();
  EXPECT_EQ(store_->list_tasks({})->tasks.size(), 1u);
}

}  // namespace
}  // namespace autoglm::workflow::testing
