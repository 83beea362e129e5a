// SqliteStore: claiming with leases, renewal, completion (written once), failure with
// retries, and cancellation.
#include <algorithm>

#include "store/sqlite_group_commit.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_store.hpp"

namespace autoglm::store {

using sqlite::guarded;
using sqlite::ns;

namespace {

struct Candidate {
  TaskId id;
  int priority;
};

std::string in_list(std::string_view column, std::size_t n, int first_param) {
  if (n == 0) return {};
  std::string s = " AND ";
  s += column;
  s += " IN (";
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) s += ", ";
    s += "?" + std::to_string(first_param + static_cast<int>(i));
  }
  return s + ")";
}

// Binds the model and modality filters after the fixed parameters 1 and 2.
void bind_filters(sqlite::Statement& q, const ClaimRequest& r) {
  int i = 3;
  for (const auto& m : r.models) q.bind(i++, m);
  for (const auto& m : r.modalities) q.bind(i++, m);
}

}  // namespace

Result<std::vector<TaskRecord>> SqliteStore::claim(const ClaimRequest& r) {
  if (r.owner.empty()) return core::invalid_argument("a claim needs an owner", "owner");
  if (r.max_tasks == 0) return std::vector<TaskRecord>{};
  return commit_->write([&]() -> Result<std::vector<TaskRecord>> {
    const std::string filters =
        in_list("model", r.models.size(), 3) +
        in_list("modality", r.modalities.size(), 3 + static_cast<int>(r.models.size()));
    // Two index-friendly scans (queued by priority; running by lease expiry), merged.
    std::vector<Candidate> found;
    for (const char* where : {"state = 'queued' AND run_after_ns <= ?1",
                              "state = 'running' AND lease_expires_ns <= ?1"}) {
      const std::string order = std::string(where).starts_with("state = 'queued'")
                                    ? " ORDER BY priority DESC, id"
                                    : " ORDER BY lease_expires_ns";
      auto& q = db_->prepare(std::string("SELECT id, priority FROM tasks WHERE ") + where +
                             filters + order + " LIMIT ?2");
      q.bind(1, ns(r.now)).bind(2, static_cast<std::int64_t>(r.max_tasks));
      bind_filters(q, r);
      while (q.step()) found.push_back({q.int64(0), static_cast<int>(q.int64(1))});
      q.reset();
    }
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
      return a.priority != b.priority ? a.priority > b.priority : a.id < b.id;
    });
    if (found.size() > r.max_tasks) found.resize(r.max_tasks);
    std::vector<TaskRecord> out;
    for (const auto& c : found) {
      db_->prepare(
             "UPDATE tasks SET state = 'running', owner = ?, lease_expires_ns = ?, "
             "attempts = attempts + 1, started_ns = ?, updated_ns = ? WHERE id = ?")
          .bind(1, r.owner)
          .bind(2, ns(r.now + r.lease))
          .bind(3, ns(r.now))
          .bind(4, ns(r.now))
          .bind(5, c.id)
          .run();
      TaskRecord t = *load_task(c.id);
      append_event(t.id, t.dag_run, TaskState::kRunning, r.now,
                   "claimed by " + r.owner + " (attempt " + std::to_string(t.attempts) + ")");
      out.push_back(std::move(t));
    }
    return out;
  });
}

Status SqliteStore::renew_lease(TaskId id, std::string_view owner, Time expires_at, Time now) {
  return commit_->write([&]() -> Status {
    auto& q = db_->prepare(
        "UPDATE tasks SET lease_expires_ns = ?, updated_ns = ? WHERE id = ? AND owner = ? AND "
        "state = 'running'");
    q.bind(1, ns(expires_at)).bind(2, ns(now)).bind(3, id).bind(4, owner).run();
    if (db_->changes() == 0) {
      return core::not_found("task " + std::to_string(id) + " is no longer leased to " +
                             std::string(owner) + "; stop working on it");
    }
    return Status::ok();
  });
}

Result<Completion> SqliteStore::complete(TaskId id, std::string_view owner,
                                         const TaskResult& result, Time now) {
  return commit_->write([&]() -> Result<Completion> {
    auto t = load_task(id);
    if (!t) return rows::no_task(id);
    if (t->state == TaskState::kPending) {
      return core::invalid_argument("task " + std::to_string(id) +
                                    " is a DAG node that has not been released yet");
    }
    if (is_terminal(t->state)) return Completion{std::move(*t), false};
    // The guard on `result IS NULL` makes the write-once rule hold even if two writers
    // ever raced past the read above.
    db_->prepare(
           "UPDATE tasks SET state = 'succeeded', result = ?, ran_on = ?, owner = '', "
           "finished_ns = ?, updated_ns = ?, lease_expires_ns = NULL WHERE id = ? AND "
           "result IS NULL")
        .bind(1, result.output)
        .bind(2, result.ran_on)
        .bind(3, ns(now))
        .bind(4, ns(now))
        .bind(5, id)
        .run();
    append_event(id, t->dag_run, TaskState::kSucceeded, now,
                 "completed by " + std::string(owner) +
                     (result.ran_on.empty() ? "" : " on " + result.ran_on));
    Completion c{*load_task(id), true};
    return c;
  });
}

Result<TaskRecord> SqliteStore::fail(TaskId id, std::string_view owner, const TaskFailure& failure,
                                     Time now) {
  return commit_->write([&]() -> Result<TaskRecord> {
    auto t = load_task(id);
    if (!t) return rows::no_task(id);
    if (t->state != TaskState::kRunning || t->owner != owner) return std::move(*t);
    const rows::FailureOutcome next = rows::after_failure(*t, failure, now);
    if (next.retry) {
      db_->prepare(
             "UPDATE tasks SET state = 'queued', failures = ?, error = ?, owner = '', "
             "lease_expires_ns = NULL, run_after_ns = ?, updated_ns = ? WHERE id = ?")
          .bind(1, next.failures)
          .bind(2, failure.error)
          .bind(3, ns(next.run_after))
          .bind(4, ns(now))
          .bind(5, id)
          .run();
    } else {
      db_->prepare(
             "UPDATE tasks SET state = 'failed', failures = ?, error = ?, owner = '', "
             "lease_expires_ns = NULL, finished_ns = ?, updated_ns = ? WHERE id = ?")
          .bind(1, next.failures)
          .bind(2, failure.error)
          .bind(3, ns(now))
          .bind(4, ns(now))
          .bind(5, id)
          .run();
    }
    append_event(id, t->dag_run, next.retry ? TaskState::kQueued : TaskState::kFailed, now,
                 next.detail);
    TaskRecord out = *load_task(id);
    return out;
  });
}

Result<TaskRecord> SqliteStore::cancel_task(TaskId id, Time now) {
  return commit_->write([&]() -> Result<TaskRecord> {
    auto t = load_task(id);
    if (!t) return rows::no_task(id);
    if (is_terminal(t->state)) return std::move(*t);
    set_task_state(*t, TaskState::kCancelled, now, "cancelled");
    TaskRecord out = *load_task(id);
    return out;
  });
}

Duration retry_delay(Duration backoff, int failures) {
  const Duration cap = std::chrono::hours(1);
  if (backoff <= Duration::zero()) return Duration::zero();
  Duration d = backoff;
  for (int i = 1; i < failures && d < cap; ++i) d *= 2;
  return std::min(d, cap);
}

}  // namespace autoglm::store
