// Store: the narrow durable-state interface behind async tasks, DAG runs, triggers, the
// event log and run-time API keys. SQLite implements it today; PostgreSQL must fit it and its
// conformance tests.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "store/records.hpp"

namespace autoglm::store {

using core::Result;
using core::Status;

// Contract shared by every implementation:
// - Every method is one transaction: it either happens completely or not at all, and
//   when it returns OK its effect is durable (see each implementation's sync setting).
// - Every state change of a task or DAG run appends a TaskEvent in the same transaction.
// - Time is passed in; implementations never read a clock.
// - Thread-safety: implementations are safe to call from any thread. Calls may block
//   on disk or network I/O, so keep them off latency-critical event loops.
class Store {
 public:
  virtual ~Store() = default;

  // --- tasks ---
  // Inserts a queued task, or returns the tenant's existing task with the same
  // idempotency key (created = false). run_after 0 means `now`.
  virtual Result<Submitted<TaskRecord>> submit_task(const TaskInput& task, Time now) = 0;
  // Several submissions in one transaction (one durable commit for all).
  virtual Result<std::vector<Submitted<TaskRecord>>> submit_tasks(std::span<const TaskInput> tasks,
                                                                  Time now) = 0;
  virtual Result<TaskRecord> get_task(TaskId id) = 0;
  virtual Result<TaskPage> list_tasks(const TaskQuery& query) = 0;

  // Atomically takes up to max_tasks claimable tasks, highest priority first, oldest
  // first within a priority. Claimable: queued with run_after <= now, or running with an
  // expired lease (its old owner is presumed dead). Each claimed task becomes running
  // with owner, lease_expires_at = now + lease, attempts + 1, started_at = now.
  virtual Result<std::vector<TaskRecord>> claim(const ClaimRequest& request) = 0;
  // Extends the lease. kNotFound when `owner` no longer holds it (expired and taken,
  // finished, cancelled, or an unknown id): the owner should stop working on the task.
  // Other errors (kUnavailable: the store is busy or down) say nothing about the lease.
  virtual Status renew_lease(TaskId id, std::string_view owner, Time expires_at, Time now) = 0;
  // Records the result once. The first completion wins whoever sends it (a task that ran
  // twice after a crash keeps one result); later ones get the stored task back with
  // recorded = false. A task already failed, skipped or cancelled is not changed.
  // kInvalidArgument for a pending DAG node, kNotFound for an unknown id.
  virtual Result<Completion> complete(TaskId id, std::string_view owner, const TaskResult& result,
                                      Time now) = 0;
  // Reports a failed attempt by the lease holder. Retryable and failures <= max_retries:
  // back to queued with run_after = now + retry_delay(backoff, failures); otherwise
  // failed for good. A report from a non-holder, or for a task no longer running, changes
  // nothing and returns the task as stored.
  virtual Result<TaskRecord> fail(TaskId id, std::string_view owner, const TaskFailure& failure,
                                  Time now) = 0;
  // Pending, queued or running → cancelled. A finished task is returned unchanged.
  virtual Result<TaskRecord> cancel_task(TaskId id, Time now) = 0;

  // --- event log ---
  // Events with seq > after_seq in seq order, at most `limit`; only task `task`'s when
  // task != 0.
  virtual Result<std::vector<TaskEvent>> events_since(std::int64_t after_seq, std::size_t limit,
                                                      TaskId task = 0) = 0;

  // --- DAG runs ---
  // Creates a running DAG run and its nodes (each `pending`, with dag_node set) at once,
  // or returns the existing run for the tenant's idempotency key (created = false).
  virtual Result<Submitted<DagRunRecord>> create_dag_run(const DagRunInput& run,
                                                         std::span<const TaskInput> nodes,
                                                         Time now) = 0;
  virtual Result<DagRunRecord> get_dag_run(DagRunId id) = 0;
  // The run's nodes in creation order.
  virtual Result<std::vector<TaskRecord>> dag_nodes(DagRunId id) = 0;
  // Newest first; nullopt state for all; every tenant (the engine's own scans).
  virtual Result<std::vector<DagRunRecord>> list_dag_runs(std::optional<TaskState> state,
                                                          std::size_t limit) = 0;
  // One page, newest first, filtered like list_tasks (state, tenant, limit, cursor).
  virtual Result<DagRunPage> page_dag_runs(const TaskQuery& query) = 0;
  // Applies the updates to nodes still pending; others are left alone. A leader-only
  // write: see `fence` below.
  virtual Status update_dag_nodes(DagRunId id, std::span<const NodeUpdate> updates, Time now,
                                  std::int64_t fence) = 0;
  // A running run → `state` (succeeded or failed). No change when already finished.
  // A leader-only write.
  virtual Status finish_dag_run(DagRunId id, TaskState state, Time now, std::int64_t fence) = 0;
  // Cancels the run and every unfinished node in one transaction.
  virtual Result<DagRunRecord> cancel_dag_run(DagRunId id, Time now) = 0;

  // --- triggers ---
  // Inserts or replaces by id.
  virtual Status put_trigger(const TriggerRecord& trigger) = 0;
  virtual Result<TriggerRecord> get_trigger(std::string_view id) = 0;
  virtual Status remove_trigger(std::string_view id) = 0;
  virtual Result<std::vector<TriggerRecord>> list_triggers(std::optional<TriggerKind> kind) = 0;
  // Compare-and-set on next_fire: moves it from `expected_next` to `new_next` and records
  // the firing. false (and no change) when another firer got there first. A leader-only
  // write.
  virtual Result<bool> advance_trigger(std::string_view id, std::optional<Time> expected_next,
                                       std::optional<Time> new_next, std::optional<Time> fired_at,
                                       std::string_view last_target, std::int64_t fence) = 0;

  // --- API keys (created at run time; config keys never reach the store) ---
  // Inserts a key. kConflict and no change when its id or its hash is already stored;
  // kInvalidArgument for an empty id or tenant, a hash that is not 64 hex digits, or a
  // model name that is empty or holds a line break.
  virtual Status create_api_key(const ApiKeyRecord& key) = 0;
  // Sets revoked_at = now unless already set (the first revocation's time stays) and
  // returns the key as stored. kNotFound for an unknown id.
  virtual Result<ApiKeyRecord> revoke_api_key(std::string_view id, Time now) = 0;
  // Every stored key, revoked ones included, sorted by id.
  virtual Result<std::vector<ApiKeyRecord>> list_api_keys() = 0;

  // --- wake-ups ---
  // Stores shared by several processes call `wake` (from a private thread) when another
  // process made work claimable, so idle claimers need not poll. Replaces any earlier
  // callback; empty stops. The default does nothing: within one process the caller
  // knows when it submitted.
  virtual void on_new_work(std::function<void()> wake) { (void)wake; }

  // Leader-only writes carry `fence`: 0 when there is no election (one gateway), else the
  // writer's fencing token (its leadership's etcd revision, increasing with every new
  // leader). The store remembers the highest token it has seen and refuses, with
  // kConflict and no change, a write whose token is lower: a paused old leader can never
  // write after a newer one did. Token 0 is never checked.
};

// The delay before retry number `failures` (1 for the first): backoff * 2^(failures-1),
// capped at one hour.
Duration retry_delay(Duration backoff, int failures);

// Opens the store a database URL names (see config/database_url.hpp): sqlite:///path,
// sqlite::memory:, postgresql://... or jdbc:postgresql://... `user` and `password`, when
// not empty, override the PostgreSQL URL's (config's database.username/password).
Result<std::unique_ptr<Store>> open_store(std::string_view url, std::string_view user = {},
                                          std::string_view password = {});

}  // namespace autoglm::store
