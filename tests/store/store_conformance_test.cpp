// The behaviour every Store implementation must show. Instantiated for SQLite in
// sqlite_store_test.cpp; the PostgreSQL store adds its own INSTANTIATE_TEST_SUITE_P.
#include "store/store_conformance.hpp"

namespace autoglm::store::testing {
namespace {

TEST_P(StoreConformance, SubmitAssignsIdsAndQueues) {
  auto a = store_->submit_task(task(), t());
  auto b = store_->submit_task(task(), t());
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(a->created);
  EXPECT_GT(b->record.id, a->record.id);
  auto got = store_->get_task(a->record.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state, TaskState::kQueued);
  EXPECT_EQ(got->input.model, "m");
  EXPECT_EQ(got->input.run_after, t());
  EXPECT_EQ(got->created_at, t());
  EXPECT_FALSE(got->result.has_value());
}

TEST_P(StoreConformance, UnknownTaskIsNotFound) {
  auto got = store_->get_task(424242);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.status().code(), core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, IdempotentResubmissionReturnsTheFirstTask) {
  TaskInput in = task();
  in.idempotency_key = "order-17";
  auto first = store_->submit_task(in, t());
  in.payload = R"({"different":true})";
  auto again = store_->submit_task(in, t(5s));
  ASSERT_TRUE(first && again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->record.id, first->record.id);
  EXPECT_EQ(again->record.input.payload, first->record.input.payload);
  in.tenant = "other";
  auto other = store_->submit_task(in, t());
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->created);
  EXPECT_NE(other->record.id, first->record.id);
}

TEST_P(StoreConformance, BatchSubmitCommitsAllTogether) {
  std::vector<TaskInput> batch(5, task());
  batch[2].idempotency_key = "k";
  batch[4].idempotency_key = "k";
  auto out = store_->submit_tasks(batch, t());
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 5u);
  EXPECT_FALSE((*out)[4].created);
  EXPECT_EQ((*out)[4].record.id, (*out)[2].record.id);
}

TEST_P(StoreConformance, ListFiltersByStateAndPagesWithCursor) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->submit_task(task(), t()));
  ASSERT_TRUE(store_->claim(claim_req("w", t())));
  TaskQuery q;
  q.state = TaskState::kQueued;
  q.limit = 3;
  auto page1 = store_->list_tasks(q);
  ASSERT_TRUE(page1);
  ASSERT_EQ(page1->tasks.size(), 3u);
  EXPECT_FALSE(page1->next_cursor.empty());
  EXPECT_GT(page1->tasks[0].id, page1->tasks[1].id);  // newest first
  q.cursor = page1->next_cursor;
  auto page2 = store_->list_tasks(q);
  ASSERT_TRUE(page2);
  ASSERT_EQ(page2->tasks.size(), 1u);
  EXPECT_TRUE(page2->next_cursor.empty());
  EXPECT_LT(page2->tasks[0].id, page1->tasks[2].id);
  q.state = TaskState::kRunning;
  q.cursor.clear();
  EXPECT_EQ(store_->list_tasks(q)->tasks.size(), 1u);
}

TEST_P(StoreConformance, ListRejectsForeignCursorAndBadLimit) {
  TaskQuery q;
  q.cursor = "not-a-cursor";
  auto r = store_->list_tasks(q);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().param(), "cursor");
  q.cursor.clear();
  q.limit = 0;
  EXPECT_EQ(store_->list_tasks(q).status().param(), "limit");
}

TEST_P(StoreConformance, ClaimTakesHighestPriorityThenOldest) {
  auto low = store_->submit_task(task("m", 1), t());
  auto high_old = store_->submit_task(task("m", 8), t());
  auto high_new = store_->submit_task(task("m", 8), t(1s));
  auto got = store_->claim(claim_req("w", t(2s), 3));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].id, high_old->record.id);
  EXPECT_EQ((*got)[1].id, high_new->record.id);
  EXPECT_EQ((*got)[2].id, low->record.id);
  EXPECT_EQ((*got)[0].state, TaskState::kRunning);
  EXPECT_EQ((*got)[0].owner, "w");
  EXPECT_EQ((*got)[0].attempts, 1);
  EXPECT_EQ((*got)[0].lease_expires_at, t(32s));
  EXPECT_TRUE(store_->claim(claim_req("w", t(2s)))->empty());
}

TEST_P(StoreConformance, ClaimWaitsForRunAfter) {
  TaskInput in = task();
  in.run_after = t(60s);
  ASSERT_TRUE(store_->submit_task(in, t()));
  EXPECT_TRUE(store_->claim(claim_req("w", t(59s)))->empty());
  EXPECT_EQ(store_->claim(claim_req("w", t(60s)))->size(), 1u);
}

TEST_P(StoreConformance, ClaimFiltersByModelAndModality) {
  TaskInput vision = task("llava");
  vision.modality = "vision";
  ASSERT_TRUE(store_->submit_task(task("a"), t()));
  auto v = store_->submit_task(vision, t());
  ClaimRequest r = claim_req("w", t(), 5);
  r.models = {"llava"};
  auto got = store_->claim(r);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].id, v->record.id);
  r.models.clear();
  r.modalities = {"speech"};
  EXPECT_TRUE(store_->claim(r)->empty());
}

TEST_P(StoreConformance, ExpiredLeaseMakesTaskClaimableAgain) {
  auto sub = store_->submit_task(task(), t());
  ASSERT_EQ(store_->claim(claim_req("a", t()))->size(), 1u);
  EXPECT_TRUE(store_->claim(claim_req("b", t(29s)))->empty());
  auto again = store_->claim(claim_req("b", t(30s)));
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, sub->record.id);
  EXPECT_EQ((*again)[0].owner, "b");
  EXPECT_EQ((*again)[0].attempts, 2);
  // The old owner lost the lease.
  EXPECT_EQ(store_->renew_lease(sub->record.id, "a", t(90s), t(31s)).code(),
            core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, RenewedLeaseIsNotReclaimed) {
  auto sub = store_->submit_task(task(), t());
  ASSERT_EQ(store_->claim(claim_req("a", t()))->size(), 1u);
  ASSERT_TRUE(store_->renew_lease(sub->record.id, "a", t(60s), t(20s)));
  EXPECT_TRUE(store_->claim(claim_req("b", t(45s)))->empty());
  EXPECT_EQ(store_->get_task(sub->record.id)->lease_expires_at, t(60s));
}

TEST_P(StoreConformance, CompletionIsWrittenOnceWhenTwoOwnersComplete) {
  auto sub = store_->submit_task(task(), t());
  const TaskId id = sub->record.id;
  ASSERT_EQ(store_->claim(claim_req("a", t()))->size(), 1u);
  ASSERT_EQ(store_->claim(claim_req("b", t(31s)))->size(), 1u);  // a's lease expired
  auto first = store_->complete(id, "b", {R"({"out":"from b"})", "node-2"}, t(40s));
  auto second = store_->complete(id, "a", {R"({"out":"from a"})", "node-1"}, t(41s));
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->recorded);
  EXPECT_FALSE(second->recorded);
  EXPECT_EQ(*second->task.result, R"({"out":"from b"})");
  auto stored = store_->get_task(id);
  EXPECT_EQ(stored->state, TaskState::kSucceeded);
  EXPECT_EQ(*stored->result, R"({"out":"from b"})");
  EXPECT_EQ(stored->ran_on, "node-2");
  EXPECT_EQ(stored->finished_at, t(40s));
}

TEST_P(StoreConformance, FailRetriesWithExponentialBackoffThenFailsForGood) {
  TaskInput in = task();
  in.max_retries = 2;
  in.backoff = 10s;
  const TaskId id = store_->submit_task(in, t())->record.id;
  ASSERT_EQ(store_->claim(claim_req("w", t()))->size(), 1u);
  auto r1 = store_->fail(id, "w", {"boom", true}, t(1s));
  EXPECT_EQ(r1->state, TaskState::kQueued);
  EXPECT_EQ(r1->input.run_after, t(11s));
  EXPECT_TRUE(store_->claim(claim_req("w", t(10s)))->empty());
  ASSERT_EQ(store_->claim(claim_req("w", t(11s)))->size(), 1u);
  auto r2 = store_->fail(id, "w", {"boom", true}, t(12s));
  EXPECT_EQ(r2->input.run_after, t(32s));  // 20 s: doubled
  ASSERT_EQ(store_->claim(claim_req("w", t(32s)))->size(), 1u);
  auto r3 = store_->fail(id, "w", {"boom again", true}, t(33s));
  EXPECT_EQ(r3->state, TaskState::kFailed);
  EXPECT_EQ(r3->failures, 3);
  EXPECT_EQ(r3->attempts, 3);
  EXPECT_EQ(r3->error, "boom again");
}

TEST_P(StoreConformance, NonRetryableFailureIsFinal) {
  TaskInput in = task();
  in.max_retries = 5;
  const TaskId id = store_->submit_task(in, t())->record.id;
  ASSERT_EQ(store_->claim(claim_req("w", t()))->size(), 1u);
  EXPECT_EQ(store_->fail(id, "w", {"bad request", false}, t(1s))->state, TaskState::kFailed);
}

TEST_P(StoreConformance, FailureFromStaleOwnerChangesNothing) {
  const TaskId id = store_->submit_task(task(), t())->record.id;
  ASSERT_EQ(store_->claim(claim_req("a", t()))->size(), 1u);
  ASSERT_EQ(store_->claim(claim_req("b", t(31s)))->size(), 1u);
  auto r = store_->fail(id, "a", {"late", false}, t(32s));
  EXPECT_EQ(r->state, TaskState::kRunning);
  EXPECT_EQ(r->owner, "b");
}

TEST_P(StoreConformance, CancelStopsQueuedAndRunningButNotFinished) {
  const TaskId q = store_->submit_task(task(), t())->record.id;
  EXPECT_EQ(store_->cancel_task(q, t(1s))->state, TaskState::kCancelled);
  EXPECT_TRUE(store_->claim(claim_req("w", t(2s)))->empty());
  const TaskId r = store_->submit_task(task(), t())->record.id;
  ASSERT_EQ(store_->claim(claim_req("w", t()))->size(), 1u);
  EXPECT_EQ(store_->cancel_task(r, t(1s))->state, TaskState::kCancelled);
  auto late = store_->complete(r, "w", {"{}", ""}, t(2s));
  EXPECT_FALSE(late->recorded);
  EXPECT_EQ(late->task.state, TaskState::kCancelled);
  EXPECT_EQ(store_->renew_lease(r, "w", t(60s), t(3s)).code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(store_->cancel_task(999, t()).status().code(), core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, EventLogRecordsEveryStateChangeInOrder) {
  const TaskId a = store_->submit_task(task(), t())->record.id;
  const TaskId b = store_->submit_task(task(), t())->record.id;
  ASSERT_EQ(store_->claim(claim_req("w", t(1s)))->size(), 1u);
  ASSERT_TRUE(store_->complete(a, "w", {"{}", ""}, t(2s)));
  auto all = store_->events_since(0, 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u);
  for (std::size_t i = 1; i < all->size(); ++i) EXPECT_GT((*all)[i].seq, (*all)[i - 1].seq);
  auto mine = store_->events_since(0, 100, a);
  ASSERT_EQ(mine->size(), 3u);
  EXPECT_EQ((*mine)[0].state, TaskState::kQueued);
  EXPECT_EQ((*mine)[1].state, TaskState::kRunning);
  EXPECT_EQ((*mine)[2].state, TaskState::kSucceeded);
  EXPECT_EQ((*mine)[2].at, t(2s));
  auto resumed = store_->events_since((*mine)[1].seq, 100);
  ASSERT_EQ(resumed->size(), 1u);
  EXPECT_EQ(resumed->front().task, a);
  EXPECT_EQ(store_->events_since(0, 100, b)->size(), 1u);
}

TEST_P(StoreConformance, DagRunCreatesPendingNodesAndIsIdempotent) {
  DagRunInput run;
  run.name = "report";
  run.idempotency_key = "nightly-1";
  std::vector<TaskInput> nodes(2, task());
  nodes[0].dag_node = "T1";
  nodes[1].dag_node = "T2";
  auto made = store_->create_dag_run(run, nodes, t());
  ASSERT_TRUE(made);
  EXPECT_TRUE(made->created);
  EXPECT_EQ(made->record.state, TaskState::kRunning);
  auto listed = store_->dag_nodes(made->record.id);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].state, TaskState::kPending);
  EXPECT_EQ((*listed)[1].input.dag_node, "T2");
  EXPECT_EQ((*listed)[0].dag_run, made->record.id);
  EXPECT_TRUE(store_->claim(claim_req("w", t()))->empty());  // pending is not claimable
  auto again = store_->create_dag_run(run, nodes, t(1s));
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->record.id, made->record.id);
  EXPECT_EQ(store_->list_dag_runs(TaskState::kRunning, 10)->size(), 1u);
}

TEST_P(StoreConformance, DagRunPagesAreFilteredByTenantAndStateInTheStore) {
  std::vector<TaskInput> nodes(1, task());
  nodes[0].dag_node = "T1";
  std::vector<DagRunId> acme;
  for (int i = 0; i < 3; ++i) {
    DagRunInput run;
    run.tenant = "acme";
    acme.push_back(store_->create_dag_run(run, nodes, t())->record.id);
    DagRunInput other;
    other.tenant = "beta";
    store_->create_dag_run(other, nodes, t());
  }
  ASSERT_TRUE(store_->cancel_dag_run(acme[0], t(1s)));
  TaskQuery q;
  q.tenant = "acme";
  q.limit = 2;
  auto page1 = store_->page_dag_runs(q);
  ASSERT_TRUE(page1) << page1.status().message();
  ASSERT_EQ(page1->runs.size(), 2u);
  EXPECT_EQ(page1->runs[0].id, acme[2]);  // newest first
  EXPECT_EQ(page1->runs[1].id, acme[1]);
  q.cursor = page1->next_cursor;
  auto page2 = store_->page_dag_runs(q);
  ASSERT_EQ(page2->runs.size(), 1u);
  EXPECT_EQ(page2->runs[0].id, acme[0]);
  EXPECT_TRUE(page2->next_cursor.empty());
  q.cursor.clear();
  q.state = TaskState::kCancelled;
  auto cancelled = store_->page_dag_runs(q);
  ASSERT_EQ(cancelled->runs.size(), 1u);
  EXPECT_EQ(cancelled->runs[0].input.tenant, "acme");
  q.cursor = "not-a-cursor";
  EXPECT_EQ(store_->page_dag_runs(q).status().param(), "cursor");
}

TEST_P(StoreConformance, UpdateDagNodesReleasesOnlyPendingNodes) {
  std::vector<TaskInput> nodes(2, task());
  nodes[0].dag_node = "T1";
  nodes[1].dag_node = "T2";
  const DagRunId run = store_->create_dag_run({}, nodes, t())->record.id;
  auto n = *store_->dag_nodes(run);
  std::vector<NodeUpdate> ups = {
      {n[0].id, TaskState::kQueued, R"({"x":1})", "node-a", ""},
      {n[1].id, TaskState::kSkipped, std::nullopt, "", "upstream failed"}};
  ASSERT_TRUE(store_->update_dag_nodes(run, ups, t(1s), 0));
  auto after = *store_->dag_nodes(run);
  EXPECT_EQ(after[0].state, TaskState::kQueued);
  EXPECT_EQ(after[0].input.payload, R"({"x":1})");
  EXPECT_EQ(after[0].input.preferred_node, "node-a");
  EXPECT_EQ(after[1].state, TaskState::kSkipped);
  std::vector<NodeUpdate> again = {{n[0].id, TaskState::kCancelled, std::nullopt, "", ""}};
  ASSERT_TRUE(store_->update_dag_nodes(run, again, t(2s), 0));
  EXPECT_EQ(store_->get_task(n[0].id)->state, TaskState::kQueued);
  ASSERT_TRUE(store_->finish_dag_run(run, TaskState::kFailed, t(3s), 0));
  EXPECT_EQ(store_->get_dag_run(run)->state, TaskState::kFailed);
  ASSERT_TRUE(store_->finish_dag_run(run, TaskState::kSucceeded, t(4s), 0));
  EXPECT_EQ(store_->get_dag_run(run)->state, TaskState::kFailed);
}

TEST_P(StoreConformance, CancelDagRunCancelsEveryOpenNode) {
  std::vector<TaskInput> nodes(3, task());
  const DagRunId run = store_->create_dag_run({}, nodes, t())->record.id;
  auto n = *store_->dag_nodes(run);
  std::vector<NodeUpdate> ups = {{n[0].id, TaskState::kQueued, std::nullopt, "", ""}};
  ASSERT_TRUE(store_->update_dag_nodes(run, ups, t(), 0));
  ASSERT_EQ(store_->claim(claim_req("w", t()))->size(), 1u);
  ASSERT_TRUE(store_->complete(n[0].id, "w", {"{}", ""}, t(1s)));
  auto cancelled = store_->cancel_dag_run(run, t(2s));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->state, TaskState::kCancelled);
  auto after = *store_->dag_nodes(run);
  EXPECT_EQ(after[0].state, TaskState::kSucceeded);
  EXPECT_EQ(after[1].state, TaskState::kCancelled);
  EXPECT_EQ(after[2].state, TaskState::kCancelled);
  EXPECT_EQ(store_->cancel_dag_run(12345, t()).status().code(), core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, TriggersStoreAndAdvanceWithCompareAndSet) {
  TriggerRecord cron;
  cron.id = "nightly";
  cron.spec = R"({"schedule":"0 8 * * *"})";
  cron.next_fire = t(60s);
  ASSERT_TRUE(store_->put_trigger(cron));
  TriggerRecord ev;
  ev.id = "on-audio";
  ev.kind = TriggerKind::kEvent;
  ev.spec = "{}";
  ASSERT_TRUE(store_->put_trigger(ev));
  EXPECT_EQ(store_->list_triggers(std::nullopt)->size(), 2u);
  EXPECT_EQ(store_->list_triggers(TriggerKind::kEvent)->size(), 1u);
  EXPECT_TRUE(*store_->advance_trigger("nightly", t(60s), t(120s), t(60s), "task:1", 0));
  EXPECT_FALSE(*store_->advance_trigger("nightly", t(60s), t(180s), t(61s), "task:2", 0));
  auto got = store_->get_trigger("nightly");
  EXPECT_EQ(got->next_fire, t(120s));
  EXPECT_EQ(got->last_fired, t(60s));
  EXPECT_EQ(got->last_target, "task:1");
  ASSERT_TRUE(store_->remove_trigger("nightly"));
  EXPECT_EQ(store_->get_trigger("nightly").status().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(store_->remove_trigger("nightly").code(), core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, LeaderOnlyWritesWithAnOlderFenceAreRefused) {
  TriggerRecord cron;
  cron.id = "hourly";
  cron.spec = "{}";
  cron.next_fire = t(60s);
  ASSERT_TRUE(store_->put_trigger(cron));
  // Leader with token 5 writes; a newer leader (7) writes; the old one is fenced out.
  EXPECT_TRUE(*store_->advance_trigger("hourly", t(60s), t(120s), t(60s), "task:1", 5));
  EXPECT_TRUE(*store_->advance_trigger("hourly", t(120s), t(180s), t(120s), "task:2", 7));
  auto stale = store_->advance_trigger("hourly", t(180s), t(240s), t(180s), "task:3", 5);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.status().code(), core::ErrorCode::kConflict);
  EXPECT_EQ(store_->get_trigger("hourly")->next_fire, t(180s));

  std::vector<TaskInput> nodes = {task(), task()};
  nodes[0].dag_node = "A";
  nodes[1].dag_node = "B";
  const DagRunId run = store_->create_dag_run({}, nodes, t())->record.id;
  const auto ids = *store_->dag_nodes(run);
  std::vector<NodeUpdate> ups = {{ids[0].id, TaskState::kQueued, std::nullopt, "", ""}};
  EXPECT_EQ(store_->update_dag_nodes(run, ups, t(1s), 6).code(), core::ErrorCode::kConflict);
  EXPECT_EQ(store_->dag_nodes(run)->at(0).state, TaskState::kPending);
  EXPECT_EQ(store_->finish_dag_run(run, TaskState::kFailed, t(2s), 6).code(),
            core::ErrorCode::kConflict);
  EXPECT_EQ(store_->get_dag_run(run)->state, TaskState::kRunning);
  // The current leader's token, and unfenced writes (token 0), go through.
  EXPECT_TRUE(store_->update_dag_nodes(run, ups, t(1s), 7));
  EXPECT_EQ(store_->dag_nodes(run)->at(0).state, TaskState::kQueued);
  EXPECT_TRUE(store_->finish_dag_run(run, TaskState::kFailed, t(2s), 0));
}

TEST(RetryDelay, DoublesFromTheBackoffAndCapsAtAnHour) {
  EXPECT_EQ(retry_delay(1s, 1), 1s);
  EXPECT_EQ(retry_delay(1s, 2), 2s);
  EXPECT_EQ(retry_delay(1s, 5), 16s);
  EXPECT_EQ(retry_delay(1s, 40), std::chrono::hours(1));
  EXPECT_EQ(retry_delay(0s, 3), 0s);
}

}  // namespace
}  // namespace autoglm::store::testing
