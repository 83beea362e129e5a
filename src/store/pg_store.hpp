// PostgresStore: the Store on PostgreSQL through libpq, for several gateway replicas
// sharing one database. Claims use SELECT ... FOR UPDATE SKIP LOCKED with leases, so
// replicas never hand out the same task twice; LISTEN/NOTIFY wakes idle claimers.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/store.hpp"

namespace autoglm::store {

namespace pg {
class Pool;
class Connection;
class Rows;
}  // namespace pg

struct PostgresOptions {
  std::string user;             // overrides the conninfo's user when not empty
  std::string password;         // overrides the conninfo's password when not empty
  std::size_t connections = 4;  // pool size; each caller blocks while all are busy
  Time opened_at{0};            // recorded with applied migrations
};

// Threading: every method may be called from any thread; each takes a pooled connection
// for one transaction and blocks on the network and the server's commit (synchronous_commit
// as the server sets it: on by default, so an OK is on the server's disk).
// A lost connection is answered kUnavailable and reopened by the next call, so the API
// answers 503 while the database is down and recovers by itself.
// Events: seq comes from a sequence, and every transaction that appends events holds a
// transaction-level advisory lock from its first event to its commit, so events become
// visible in seq order and a listener resuming after seq N never misses one.
class PostgresStore final : public Store {
 public:
  // Connects (a libpq URI or key=value string) and applies migrations.
  static Result<std::unique_ptr<PostgresStore>> open(const std::string& conninfo,
                                                     const PostgresOptions& options = {});
  ~PostgresStore() override;

  int schema_version() const { return schema_version_; }

  // Calls `wake` (on a private thread) whenever another transaction made work claimable:
  // a submission, a retry, a released DAG node. Replaces any earlier callback; empty stops.
  void on_new_work(std::function<void()> wake) override;

  Result<Submitted<TaskRecord>> submit_task(const TaskInput& task, Time now) override;
  Result<std::vector<Submitted<TaskRecord>>> submit_tasks(std::span<const TaskInput> tasks,
                                                          Time now) override;
  Result<TaskRecord> get_task(TaskId id) override;
  Result<TaskPage> list_tasks(const TaskQuery& query) override;
  Result<std::vector<TaskRecord>> claim(const ClaimRequest& request) override;
  Status renew_lease(TaskId id, std::string_view owner, Time expires_at, Time now) override;
  Result<Completion> complete(TaskId id, std::string_view owner, const TaskResult& result,
                              Time now) override;
  Result<TaskRecord> fail(TaskId id, std::string_view owner, const TaskFailure& failure,
                          Time now) override;
  Result<TaskRecord> cancel_task(TaskId id, Time now) override;
  Result<std::vector<TaskEvent>> events_since(std::int64_t after_seq, std::size_t limit,
                                              TaskId task) override;
  Result<Submitted<DagRunRecord>> create_dag_run(const DagRunInput& run,
                                                 std::span<const TaskInput> nodes,
                                                 Time now) override;
  Result<DagRunRecord> get_dag_run(DagRunId id) override;
  Result<std::vector<TaskRecord>> dag_nodes(DagRunId id) override;
  Result<std::vector<DagRunRecord>> list_dag_runs(std::optional<TaskState> state,
                                                  std::size_t limit) override;
  Result<DagRunPage> page_dag_runs(const TaskQuery& query) override;
  Status update_dag_nodes(DagRunId id, std::span<const NodeUpdate> updates, Time now,
                          std::int64_t fence) override;
  Status finish_dag_run(DagRunId id, TaskState state, Time now, std::int64_t fence) override;
  Result<DagRunRecord> cancel_dag_run(DagRunId id, Time now) override;
  Status put_trigger(const TriggerRecord& trigger) override;
  Result<TriggerRecord> get_trigger(std::string_view id) override;
  Status remove_trigger(std::string_view id) override;
  Result<std::vector<TriggerRecord>> list_triggers(std::optional<TriggerKind> kind) override;
  Result<bool> advance_trigger(std::string_view id, std::optional<Time> expected_next,
                               std::optional<Time> new_next, std::optional<Time> fired_at,
                               std::string_view last_target, std::int64_t fence) override;
  Status create_api_key(const ApiKeyRecord& key) override;
  Result<ApiKeyRecord> revoke_api_key(std::string_view id, Time now) override;
  Result<std::vector<ApiKeyRecord>> list_api_keys() override;

 private:
  class Tx;
  // One list page of `table` (tasks or dag_runs) for `query`, limit + 1 rows, newest first.
  static pg::Rows select_page(Tx& tx, const char* table, const char* columns,
                              const TaskQuery& query, std::optional<TaskId> before);
  explicit PostgresStore(std::unique_ptr<pg::Pool> pool);

  // Runs `body(Tx&)` in one transaction on a pooled connection; retries it on
  // serialization failures and deadlocks, and turns PgError into a Status.
  template <typename Body>
  auto transact(Body&& body) -> decltype(body(std::declval<Tx&>()));
  void listen_loop();

  std::unique_ptr<pg::Pool> pool_;
  int schema_version_ = 0;

  std::mutex wake_mu_;
  std::function<void()> wake_;  // guarded by wake_mu_
  std::atomic<bool> stopping_{false};
  std::thread listener_;
};

}  // namespace autoglm::store
