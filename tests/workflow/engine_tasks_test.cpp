// WorkflowEngine with async tasks: durable submission, idempotency, dispatch, retries with
// backoff, lease renewal, reclaim after a lost owner, timeouts, cancellation, events.
#include <thread>

#include "engine_test_support.hpp"

namespace autoglm::workflow::testing {
namespace {

using store::TaskState;

TEST_F(EngineTest, SubmittedTaskRunsAndRecordsItsResult) {
  auto sub = engine_->submit_task(chat_body("hello"), {});
  ASSERT_TRUE(sub) << sub.status().message();
  EXPECT_TRUE(sub->created);
  EXPECT_EQ(sub->record.state, TaskState::kQueued);
  EXPECT_EQ(sub->record.input.priority, 3);
  auto report = engine_->step();
  EXPECT_EQ(report.dispatched, 1);
  ASSERT_EQ(exec_.calls.size(), 1u);
  EXPECT_EQ(exec_.calls[0].task.priority_class, core::PriorityClass::kBatch);
  EXPECT_EQ(engine_->in_flight(), 1u);
  exec_.succeed(exec_.pending(), chat_output("hi!"), "node-7");
  EXPECT_EQ(engine_->in_flight(), 0u);
  auto done = task(sub->record.id);
  EXPECT_EQ(done.state, TaskState::kSucceeded);
  EXPECT_EQ(done.ran_on, "node-7");
  auto events = engine_->events_since(0, 10, sub->record.id);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ(events->back().state, TaskState::kSucceeded);
}

TEST_F(EngineTest, InvalidTaskIsRejectedBeforeStoring) {
  auto bad = engine_->submit_task(R"({"kind": "chat", "payload": {"messages": []}})", {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->list_tasks({})->tasks.empty());
}

TEST_F(EngineTest, IdempotentResubmissionReturnsTheFirstTask) {
  SubmitContext ctx{"acme", "key-1"};
  auto a = engine_->submit_task(chat_body("one"), ctx);
  auto b = engine_->submit_task(chat_body("two"), ctx);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(b->created);
  EXPECT_EQ(a->record.id, b->record.id);
  EXPECT_EQ(store_->list_tasks({})->tasks.size(), 1u);
}

TEST_F(EngineTest, FailedTaskRetriesAfterBackoff) {
  auto sub = engine_->submit_task(chat_body("x", R"("retries": 1, "backoff": "10s", )"), {});
  ASSERT_TRUE(sub) << sub.status().message();
  engine_->step();
  exec_.fail(exec_.pending(), "upstream 502");
  EXPECT_EQ(task(sub->record.id).state, TaskState::kQueued);
  clock_.advance(9s);
  EXPECT_EQ(engine_->step().dispatched, 0);
  clock_.advance(1s);
  EXPECT_EQ(engine_->step().dispatched, 1);
  exec_.fail(exec_.pending(), "upstream 502 again");
  auto failed = task(sub->record.id);
  EXPECT_EQ(failed.state, TaskState::kFailed);
  EXPECT_EQ(failed.attempts, 2);
  EXPECT_EQ(failed.error, "upstream 502 again");
}

TEST_F(EngineTest, OnFinishedHearsEachFinalStateOnceAndNoRetries) {
  std::vector<store::TaskRecord> heard;
  EngineOptions opts;
  opts.owner = "replica-1";
  opts.on_finished = [&](const store::TaskRecord& t) { heard.push_back(t); };
  FakeExecutor exec;
  WorkflowEngine engine(*store_, exec, clock_, opts);
  auto ok = engine.submit_task(chat_body("ok", R"("callback_url": "http://127.0.0.1:9/cb", )"), {});
  auto bad = engine.submit_task(chat_body("bad", R"("retries": 1, "backoff": "1s", )"), {});
  ASSERT_TRUE(ok && bad) << ok.status().message() << bad.status().message();
  engine.step();
  exec.succeed(&exec.calls.at(0), chat_output("hi"));
  exec.fail(&exec.calls.at(1), "boom");  // retried: not final
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].id, ok->record.id);
  EXPECT_EQ(heard[0].state, TaskState::kSucceeded);
  EXPECT_EQ(heard[0].input.callback_url, "http://127.0.0.1:9/cb");
  clock_.advance(1s);
  engine.step();
  exec.fail(exec.pending(), "boom again");
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[1].state, TaskState::kFailed);
  // A late duplicate report of that attempt changes nothing and is not heard again.
  clock_.advance(1s);
  exec.calls.back().done({false, "", "duplicate", true, "node-a"});
  EXPECT_EQ(heard.size(), 2u);
}

TEST_F(EngineTest, CallbackUrlMustBeHttpWithAHost) {
  for (const char* url : {"ftp://x/cb", "https://x/cb", "http:///cb", "cb"}) {
    auto r = engine_->submit_task(
        chat_body("x", std::string(R"("callback_url": ")") + url + R"(", )"), {});
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.status().param(), "callback_url") << url;
  }
}

TEST_F(EngineTest, LeaseIsRenewedWhileRunning) {
  auto sub = engine_->submit_task(chat_body("long"), {});
  engine_->step();
  clock_.advance(20s);
  EXPECT_EQ(engine_->step().renewed, 1);
  EXPECT_EQ(task(sub->record.id).lease_expires_at, clock_.now() + 30s);
  clock_.advance(20s);  // past the first lease, inside the renewed one
  FakeExecutor other;
  auto replica2 = make_engine("replica-2", &other);
  EXPECT_EQ(replica2->step().dispatched, 0);
}

TEST_F(EngineTest, ExpiredLeaseIsReclaimedAndTheResultWrittenOnce) {
  auto sub = engine_->submit_task(chat_body("work"), {});
  engine_->step();  // replica-1 claims, then stalls (no more steps: no renewals)
  clock_.advance(31s);
  FakeExecutor other;
  auto replica2 = make_engine("replica-2", &other);
  EXPECT_EQ(replica2->step().dispatched, 1);
  // Replica 1 wakes up: its renewal fails, so it tells its executor to stop.
  engine_->step();
  EXPECT_EQ(exec_.cancelled, (std::vector<store::TaskId>{sub->record.id}));
  other.succeed(other.pending(), chat_output("from replica 2"), "node-b");
  exec_.succeed(exec_.pending(), chat_output("from replica 1"), "node-a");  // late
  auto rec = task(sub->record.id);
  EXPECT_EQ(rec.state, TaskState::kSucceeded);
  EXPECT_EQ(rec.ran_on, "node-b");
  EXPECT_NE(rec.result->find("from replica 2"), std::string::npos);
  EXPECT_EQ(rec.attempts, 2);
}

TEST_F(EngineTest, TimedOutTaskIsCancelledAndRetried) {
  auto sub = engine_->submit_task(
      chat_body("slow", R"("retries": 1, "backoff_ms": 0, "timeout": "5s", )"), {});
  ASSERT_TRUE(sub) << sub.status().message();
  engine_->step();
  clock_.advance(6s);
  auto report = engine_->step();
  EXPECT_EQ(report.timed_out, 1);
  EXPECT_EQ(exec_.cancelled, (std::vector<store::TaskId>{sub->record.id}));
  EXPECT_EQ(report.dispatched, 1);  // the retry, claimed in the same step
  EXPECT_EQ(task(sub->record.id).attempts, 2);
}

TEST_F(EngineTest, CancelStopsARunningTaskAndIgnoresItsLateResult) {
  auto sub = engine_->submit_task(chat_body("stop me"), {});
  engine_->step();
  auto c = engine_->cancel_task(sub->record.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, TaskState::kCancelled);
  EXPECT_EQ(exec_.cancelled.size(), 1u);
  exec_.succeed(exec_.pending(), chat_output("too late"));
  EXPECT_EQ(task(sub->record.id).state, TaskState::kCancelled);
  EXPECT_EQ(engine_->cancel_task(9999).status().code(), core::ErrorCode::kNotFound);
}

TEST_F(EngineTest, MaxInFlightBoundsDispatch) {
  EngineOptions opts;
  opts.owner = "small";
  opts.max_in_flight = 2;
  WorkflowEngine small(*store_, exec_, clock_, opts);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(small.submit_task(chat_body("t"), {}));
  EXPECT_EQ(small.step().dispatched, 2);
  EXPECT_EQ(small.step().dispatched, 0);
  exec_.succeed(exec_.pending(), chat_output("ok"));
  EXPECT_EQ(small.step().dispatched, 1);
}

TEST_F(EngineTest, SpeechEventOutranksVisionEvent) {
  ASSERT_TRUE(engine_->add_event_trigger(R"({"id": "asr", "event": "audio.in", "task":
      {"kind": "speech_transcription", "model": "whisper", "payload": {"audio": "{{event.payload}}"}}})"));
  ASSERT_TRUE(engine_->add_event_trigger(R"({"id": "cls", "event": "image.in", "task":
      {"kind": "image_classification", "model": "vit", "payload": {"image_url": "{{event.payload}}"}}})"));
  auto img =
      engine_->post_event(R"({"name": "image.in", "modality": "vision", "payload": "i.png"})", {});
  auto aud = engine_->post_event(
      R"({"name": "audio.in", "modality": "speech", "payload": "UklGRg=="})", {});
  ASSERT_TRUE(img && aud) << (img ? aud.status().message() : img.status().message());
  ASSERT_EQ(img->tasks.size(), 1u);
  ASSERT_EQ(aud->tasks.size(), 1u);
  EXPECT_EQ(engine_->step().dispatched, 2);
  // Claimed highest priority first: the speech task.
  EXPECT_EQ(exec_.calls[0].task.task.id, aud->tasks[0]);
  EXPECT_EQ(exec_.calls[0].task.task.input.payload, R"({"audio":"UklGRg=="})");
  EXPECT_EQ(exec_.calls[0].task.task.input.modality, "speech");
  EXPECT_EQ(exec_.calls[1].task.task.input.modality, "vision");
  EXPECT_GT(task(aud->tasks[0]).input.priority, task(img->tasks[0]).input.priority);
}

}  // namespace
}  // namespace autoglm::workflow::testing

namespace autoglm::workflow::testing {
namespace {

// Completes every execution on its own thread; the test joins them (no sleeps).
class ThreadedExecutor final : public TaskExecutor {
 public:
  void execute(const ClaimedTask& task, std::function<void(ExecutionResult)> done) override {
    const bool ok = task.task.id % 3 != 0;
    threads.emplace_back([done = std::move(done), ok] {
      done({ok, ok ? R"({"choices":[{"text":"ok"}]})" : "", ok ? "" : "flaky", true, "n1"});
    });
  }
  void join() {
    for (auto& t : threads) t.join();
    threads.clear();
  }
  std::vector<std::thread> threads;
};

TEST(EngineThreads, CompletionsFromOtherThreadsAreRecorded) {
  auto s = std::move(store::SqliteStore::open(":memory:")).value();
  core::ManualClock clock(kStart);
  ThreadedExecutor exec;
  EngineOptions opts;
  opts.max_in_flight = 8;
  WorkflowEngine engine(*s, exec, clock, opts);
  std::vector<store::TaskId> ids;
  for (int i = 0; i < 30; ++i) {
    ids.push_back(
        engine
            .submit_task(chat_body("t" + std::to_string(i), R"("retries": 1, "backoff_ms": 0, )"),
                         {})
            ->record.id);
  }
  for (int round = 0; round < 20 && engine.step().dispatched > 0; ++round) exec.join();
  exec.join();
  EXPECT_EQ(engine.in_flight(), 0u);
  for (auto id : ids) {
    auto t = *s->get_task(id);
    EXPECT_TRUE(store::is_terminal(t.state)) << id;
    EXPECT_EQ(t.state, id % 3 == 0 ? store::TaskState::kFailed : store::TaskState::kSucceeded);
  }
}

}  // namespace
}  // namespace autoglm::workflow::testing
