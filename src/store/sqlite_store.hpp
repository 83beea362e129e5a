// SqliteStore: the embedded Store on one SQLite database file in WAL mode — the default
// for a single gateway. PostgreSQL (issue 9) serves several replicas behind the same interface.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/store.hpp"

namespace autoglm::store {

namespace sqlite {
class Connection;
class Statement;
class GroupCommit;
}  // namespace sqlite

// How hard a commit is pushed to disk (PRAGMA synchronous in WAL mode).
//   kFull:   every commit is fsynced before it returns: an accepted task survives a
//            process kill, an OS crash and a power loss. The default.
//   kNormal: the WAL is fsynced only at checkpoints: survives a process kill (SIGKILL),
//            but the last commits may be lost on power loss or an OS crash. Faster.
enum class SyncMode { kFull, kNormal };

struct SqliteOptions {
  SyncMode sync = SyncMode::kFull;
  Time opened_at{0};  // recorded with applied migrations
};

// Threading: one connection guarded by one mutex; every method may be called from any
// thread. Writes go through group commit: writers that arrive while a commit is in
// flight are committed together in the next transaction, each in its own savepoint, so
// concurrent submissions share one fsync. Calls block on disk I/O (an fsync per commit
// with kFull), so call them from a worker thread, not an I/O loop.
// Several processes may open the same file (SQLite's locks serialise writers), but one
// gateway per file is the supported setup.
class SqliteStore final : public Store {
 public:
  // `path` is a file path (created with its schema if missing) or ":memory:".
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   const SqliteOptions& options = {});
  ~SqliteStore() override;

  // The schema version after migrations, and the synchronous pragma in force (1 NORMAL,
  // 2 FULL), for diagnostics and tests.
  int schema_version() const { return schema_version_; }
  int synchronous_pragma();
  std::string journal_mode();

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
  explicit SqliteStore(std::unique_ptr<sqlite::Connection> db);

  // Helpers below REQUIRE mu_ held and, for writes, an open transaction (every write
  // body runs inside commit_->write).
  Submitted<TaskRecord> insert_task(const TaskInput& task, DagRunId dag, TaskState state, Time now);
  std::optional<TaskRecord> load_task(TaskId id);
  std::optional<DagRunRecord> load_dag_run(DagRunId id);
  void set_task_state(const TaskRecord& task, TaskState state, Time now, std::string_view detail);
  void append_event(TaskId task, DagRunId dag, TaskState state, Time now, std::string_view detail);
  // Records `fence` and says whether it is still the highest seen (always true for 0).
  bool fence_holds(std::int64_t fence);
  // The statement for one list page of `table` (tasks or dag_runs), limit + 1 rows.
  sqlite::Statement& prepare_page(const char* table, const char* columns, const TaskQuery& query,
                                  std::optional<TaskId> before);

  std::mutex mu_;
  std::unique_ptr<sqlite::Connection> db_;  // guarded by mu_
  std::unique_ptr<sqlite::GroupCommit> commit_;
  int schema_version_ = 0;
};

}  // namespace autoglm::store
