// PostgresStore's transaction: one BEGIN ... COMMIT on a pooled connection, with the row
// helpers every PostgresStore source file shares. Internal to src/store.
#pragma once

#include <string>
#include <vector>

#include "store/pg_db.hpp"
#include "store/pg_store.hpp"
#include "store/row_mapping.hpp"

namespace autoglm::store {

// Every transaction that appends events takes this advisory lock first (see PostgresStore).
inline constexpr std::int64_t kEventLockKey = 0x6175746f676c6d;  // "autoglm"
inline constexpr const char* kWorkChannel = "autoglm_work";

// BEGIN on construction; ROLLBACK on destruction unless commit() ran (and the
// connection is still up).
class PostgresStore::Tx {
 public:
  explicit Tx(pg::Connection& conn);
  ~Tx();
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  pg::Rows exec(const std::string& sql, const pg::Params& params = {}) {
    return conn_.exec(sql, params);
  }
  // Sends NOTIFY on commit so idle claimers on every replica wake up.
  void notify_work() { notify_ = true; }
  void commit();

  std::optional<TaskRecord> load_task(TaskId id, bool for_update = false);
  std::optional<DagRunRecord> load_dag_run(DagRunId id, bool for_update = false);
  Submitted<TaskRecord> insert_task(const TaskInput& task, DagRunId dag, TaskState state, Time now);
  void set_task_state(const TaskRecord& task, TaskState state, Time now, std::string_view detail);
  void append_event(TaskId task, DagRunId dag, TaskState state, Time now, std::string_view detail);
  // Records `fence` and says whether it is still the highest seen (always true for 0).
  bool fence_holds(std::int64_t fence);

 private:
  pg::Connection& conn_;
  bool done_ = false;
  bool notify_ = false;
  bool event_lock_ = false;
};

core::Status pg_status(const pg::PgError& e);
core::Status fenced_out(std::int64_t fence);
// A PostgreSQL text[] literal for `= ANY($n::text[])`, nullopt (NULL) when empty.
std::optional<std::string> text_array(const std::vector<std::string>& items);

template <typename Body>
auto PostgresStore::transact(Body&& body) -> decltype(body(std::declval<Tx&>())) {
  using R = decltype(body(std::declval<Tx&>()));
  constexpr int kMaxAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    try {
      auto conn = pool_->acquire();
      Tx tx(*conn);
      R out = body(tx);
      if (out.is_ok()) tx.commit();
      return out;
    } catch (const pg::PgError& e) {
      if (e.retryable() && attempt < kMaxAttempts) continue;
      return R(pg_status(e));
    }
  }
}

}  // namespace autoglm::store
