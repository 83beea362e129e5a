// PostgresStore: claiming with FOR UPDATE SKIP LOCKED and leases, renewal, completion
// (written once), failure with retries, and cancellation.
#include <algorithm>

#include "store/pg_store.hpp"
#include "store/pg_tx.hpp"

namespace autoglm::store {

using rows::ns;

Result<std::vector<TaskRecord>> PostgresStore::claim(const ClaimRequest& r) {
  if (r.owner.empty()) return core::invalid_argument("a claim needs an owner", "owner");
  if (r.max_tasks == 0) return std::vector<TaskRecord>{};
  return transact([&](Tx& tx) -> Result<std::vector<TaskRecord>> {
    // SKIP LOCKED: rows another replica is claiming right now are passed over, not
    // waited for, so claimers never block each other or take the same task.
    auto claimed = tx.exec(
        std::string("WITH picked AS (SELECT id AS pick_id FROM tasks WHERE "
                    "((state = 'queued' AND run_after_ns <= $1) OR "
                    "(state = 'running' AND lease_expires_ns <= $1)) "
                    "AND ($3::text[] IS NULL OR model = ANY($3::text[])) "
                    "AND ($4::text[] IS NULL OR modality = ANY($4::text[])) "
                    "ORDER BY priority DESC, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
                    "UPDATE tasks SET state = 'running', owner = $5, lease_expires_ns = $6, "
                    "attempts = attempts + 1, started_ns = $1, updated_ns = $1 "
                    "FROM picked WHERE id = picked.pick_id RETURNING ") +
            rows::kTaskColumns,
        pg::Params()
            .add(ns(r.now))
            .add(static_cast<std::int64_t>(r.max_tasks))
            .add(text_array(r.models))
            .add(text_array(r.modalities))
            .add(r.owner)
            .add(ns(r.now + r.lease)));
    std::vector<TaskRecord> out;
    for (int i = 0; i < claimed.size(); ++i) out.push_back(rows::read_task(claimed[i]));
    std::sort(out.begin(), out.end(), [](const TaskRecord& a, const TaskRecord& b) {
      return a.input.priority != b.input.priority ? a.input.priority > b.input.priority
                                                  : a.id < b.id;
    });
    for (const auto& t : out) {
      tx.append_event(t.id, t.dag_run, TaskState::kRunning, r.now,
                      "claimed by " + r.owner + " (attempt " + std::to_string(t.attempts) + ")");
    }
    return out;
  });
}

Status PostgresStore::renew_lease(TaskId id, std::string_view owner, Time expires_at, Time now) {
  return transact([&](Tx& tx) -> Status {
    auto r = tx.exec(
        "UPDATE tasks SET lease_expires_ns = $1, updated_ns = $2 WHERE id = $3 AND owner = $4 "
        "AND state = 'running'",
        pg::Params().add(ns(expires_at)).add(ns(now)).add(id).add(owner));
    if (r.affected() == 0) {
      return core::not_found("task " + std::to_string(id) + " is no longer leased to " +
                             std::string(owner) + "; stop working on it");
    }
    return Status::ok();
  });
}

Result<Completion> PostgresStore::complete(TaskId id, std::string_view owner,
                                           const TaskResult& result, Time now) {
  return transact([&](Tx& tx) -> Result<Completion> {
    // FOR UPDATE: two completions of one task (it ran twice after a crash) queue here;
    // the second sees the first's result and records nothing.
    auto t = tx.load_task(id, true);
    if (!t) return rows::no_task(id);
    if (t->state == TaskState::kPending) {
      return core::invalid_argument("task " + std::to_string(id) +
                                    " is a DAG node that has not been released yet");
    }
    if (is_terminal(t->state)) return Completion{std::move(*t), false};
    tx.exec(
        "UPDATE tasks SET state = 'succeeded', result = $1, ran_on = $2, owner = '', "
        "finished_ns = $3, updated_ns = $3, lease_expires_ns = NULL WHERE id = $4 AND "
        "result IS NULL",
        pg::Params().add(result.output).add(result.ran_on).add(ns(now)).add(id));
    tx.append_event(id, t->dag_run, TaskState::kSucceeded, now,
                    "completed by " + std::string(owner) +
                        (result.ran_on.empty() ? "" : " on " + result.ran_on));
    Completion c{*tx.load_task(id), true};
    return c;
  });
}

Result<TaskRecord> PostgresStore::fail(TaskId id, std::string_view owner,
                                       const TaskFailure& failure, Time now) {
  return transact([&](Tx& tx) -> Result<TaskRecord> {
    auto t = tx.load_task(id, true);
    if (!t) return rows::no_task(id);
    if (t->state != TaskState::kRunning || t->owner != owner) return std::move(*t);
    const rows::FailureOutcome next = rows::after_failure(*t, failure, now);
    if (next.retry) {
      tx.exec(
          "UPDATE tasks SET state = 'queued', failures = $1, error = $2, owner = '', "
          "lease_expires_ns = NULL, run_after_ns = $3, updated_ns = $4 WHERE id = $5",
          pg::Params()
              .add(next.failures)
              .add(failure.error)
              .add(ns(next.run_after))
              .add(ns(now))
              .add(id));
    } else {
      tx.exec(
          "UPDATE tasks SET state = 'failed', failures = $1, error = $2, owner = '', "
          "lease_expires_ns = NULL, finished_ns = $3, updated_ns = $3 WHERE id = $4",
          pg::Params().add(next.failures).add(failure.error).add(ns(now)).add(id));
    }
    tx.append_event(id, t->dag_run, next.retry ? TaskState::kQueued : TaskState::kFailed, now,
                    next.detail);
    TaskRecord out = *tx.load_task(id);
    return out;
  });
}

Result<TaskRecord> PostgresStore::cancel_task(TaskId id, Time now) {
  return transact([&](Tx& tx) -> Result<TaskRecord> {
    auto t = tx.load_task(id, true);
    if (!t) return rows::no_task(id);
    if (is_terminal(t->state)) return std::move(*t);
    tx.set_task_state(*t, TaskState::kCancelled, now, "cancelled");
    TaskRecord out = *tx.load_task(id);
    return out;
  });
}

}  // namespace autoglm::store
