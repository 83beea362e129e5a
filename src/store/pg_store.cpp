// PostgresStore: opening and migrations, transactions, LISTEN/NOTIFY, submission, lookup,
// listing and the event log.
#include "store/pg_store.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <array>
#include <chrono>

#include "store/pg_tx.hpp"

namespace autoglm::store {

using rows::ns;
using rows::opt_ns;

namespace {

constexpr std::int64_t kMigrationLockKey = 0x6175746f676c6e;

// Append only: a released migration is never edited, a change is a new step. The tables
// and column names match SQLite's so store/row_mapping.hpp reads both.
constexpr std::array<const char*, 2> kMigrations = {
    R"sql(
CREATE TABLE tasks (
  id BIGSERIAL PRIMARY KEY,
  tenant TEXT NOT NULL, kind TEXT NOT NULL, model TEXT NOT NULL, modality TEXT NOT NULL,
  payload TEXT NOT NULL, callback_url TEXT NOT NULL, priority INTEGER NOT NULL,
  idempotency_key TEXT, max_retries INTEGER NOT NULL, backoff_ns BIGINT NOT NULL,
  timeout_ns BIGINT NOT NULL, deadline_ns BIGINT, run_after_ns BIGINT NOT NULL,
  dag_run_id BIGINT, dag_node TEXT NOT NULL, preferred_node TEXT NOT NULL,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  created_ns BIGINT NOT NULL, updated_ns BIGINT NOT NULL, started_ns BIGINT,
  finished_ns BIGINT, owner TEXT NOT NULL DEFAULT '', lease_expires_ns BIGINT,
  result TEXT, error TEXT NOT NULL DEFAULT '', ran_on TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX tasks_idempotency ON tasks(tenant, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX tasks_queued ON tasks(priority DESC, id) WHERE state = 'queued';
CREATE INDEX tasks_leases ON tasks(lease_expires_ns) WHERE state = 'running';
CREATE INDEX tasks_by_state ON tasks(state, id);
CREATE INDEX tasks_by_dag ON tasks(dag_run_id, id) WHERE dag_run_id IS NOT NULL;
CREATE TABLE dag_runs (
  id BIGSERIAL PRIMARY KEY,
  tenant TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL,
  max_parallelism INTEGER NOT NULL, idempotency_key TEXT, trigger_id TEXT NOT NULL,
  state TEXT NOT NULL, created_ns BIGINT NOT NULL, updated_ns BIGINT NOT NULL,
  finished_ns BIGINT);
CREATE UNIQUE INDEX dag_runs_idempotency ON dag_runs(tenant, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX dag_runs_by_state ON dag_runs(state, id);
CREATE TABLE triggers (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, spec TEXT NOT NULL, enabled BOOLEAN NOT NULL,
  next_fire_ns BIGINT, last_fired_ns BIGINT, last_target TEXT NOT NULL,
  created_ns BIGINT NOT NULL);
CREATE TABLE events (
  seq BIGSERIAL PRIMARY KEY,
  task_id BIGINT NOT NULL, dag_run_id BIGINT NOT NULL, state TEXT NOT NULL,
  at_ns BIGINT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX events_by_task ON events(task_id, seq);
CREATE TABLE leader_fence (id INTEGER PRIMARY KEY CHECK (id = 1), token BIGINT NOT NULL);
)sql",
    // 2: API keys created at run time (the secret's SHA-256 only), shared by every replica.
    R"sql(
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
  admin BOOLEAN NOT NULL, label TEXT NOT NULL, default_class TEXT NOT NULL,
  models TEXT NOT NULL, requests_per_second DOUBLE PRECISION NOT NULL,
  burst DOUBLE PRECISION NOT NULL, max_concurrent BIGINT NOT NULL, created_ns BIGINT NOT NULL,
  revoked_ns BIGINT);
)sql",
};

int migrate(pg::Connection& db, std::int64_t now_ns) {
  // Replicas starting together: one migrates, the others wait and find it done.
  db.exec("SELECT pg_advisory_lock($1)", pg::Params().add(kMigrationLockKey));
  struct Unlock {
    pg::Connection& db;
    ~Unlock() {
      try {
        db.exec("SELECT pg_advisory_unlock($1)", pg::Params().add(kMigrationLockKey));
      } catch (const pg::PgError&) {  // the session ends with the connection anyway
      }
    }
  } unlock{db};
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
      "applied_ns BIGINT NOT NULL)");
  int current =
      static_cast<int>(db.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0].int64(0));
  const int latest = static_cast<int>(kMigrations.size());
  if (current > latest) {
    throw pg::PgError("", false,
                      "the database has schema version " + std::to_string(current) +
                          " but this build knows only up to " + std::to_string(latest) +
                          "; run a newer autoglm against it");
  }
  for (int v = current + 1; v <= latest; ++v) {
    db.exec_script(std::string("BEGIN;") + kMigrations[static_cast<std::size_t>(v - 1)]);
    db.exec("INSERT INTO schema_version(version, applied_ns) VALUES($1, $2)",
            pg::Params().add(v).add(now_ns));
    db.exec_script("COMMIT");
    current = v;
  }
  return current;
}

std::optional<std::string> key_or_null(const std::string& key) {
  if (key.empty()) return std::nullopt;
  return key;
}

}  // namespace

core::Status pg_status(const pg::PgError& e) {
  if (e.connection_lost() || e.sqlstate().starts_with("08") || e.sqlstate() == "57P01" ||
      e.sqlstate() == "57P03") {
    return core::unavailable("the task store (PostgreSQL) is unreachable; retry shortly (" +
                             std::string(e.what()) + ")");
  }
  if (e.sqlstate().starts_with("53") || e.retryable()) {
    return core::unavailable("the task store (PostgreSQL) is busy; retry shortly (" +
                             std::string(e.what()) + ")");
  }
  return {core::ErrorCode::kInternal, "task store error: " + std::string(e.what())};
}

core::Status fenced_out(std::int64_t fence) {
  return core::Status(core::ErrorCode::kConflict,
                      "leader-only write refused: fencing token " + std::to_string(fence) +
                          " is older than one already used (a newer leader took over)");
}

std::optional<std::string> text_array(const std::vector<std::string>& items) {
  if (items.empty()) return std::nullopt;
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

// --- Tx ---

PostgresStore::Tx::Tx(pg::Connection& conn) : conn_(conn) { conn_.exec("BEGIN"); }

PostgresStore::Tx::~Tx() {
  if (done_ || !conn_.healthy()) return;
  try {
    conn_.exec("ROLLBACK");
  } catch (const pg::PgError&) {  // the connection is reset at its next use
  }
}

void PostgresStore::Tx::commit() {
  if (notify_) conn_.exec(std::string("NOTIFY ") + kWorkChannel);
  conn_.exec("COMMIT");
  done_ = true;
}

void PostgresStore::Tx::append_event(TaskId task, DagRunId dag, TaskState state, Time now,
                                     std::string_view detail) {
  if (!event_lock_) {
    exec("SELECT pg_advisory_xact_lock($1)", pg::Params().add(kEventLockKey));
    event_lock_ = true;
  }
  exec("INSERT INTO events(task_id, dag_run_id, state, at_ns, detail) VALUES($1, $2, $3, $4, $5)",
       pg::Params().add(task).add(dag).add(task_state_name(state)).add(ns(now)).add(detail));
  if (state == TaskState::kQueued) notify_work();
}

void PostgresStore::Tx::set_task_state(const TaskRecord& task, TaskState state, Time now,
                                       std::string_view detail) {
  const bool terminal = is_terminal(state);
  exec(
      "UPDATE tasks SET state = $1, updated_ns = $2, finished_ns = CASE WHEN $3 THEN $2 ELSE "
      "finished_ns END, owner = CASE WHEN $3 THEN '' ELSE owner END WHERE id = $4",
      pg::Params()
          .add(task_state_name(state))
          .add(ns(now))
          .add(terminal ? "true" : "false")
          .add(task.id));
  append_event(task.id, task.dag_run, state, now, detail);
}

std::optional<TaskRecord> PostgresStore::Tx::load_task(TaskId id, bool for_update) {
  auto r = exec(std::string("SELECT ") + rows::kTaskColumns + " FROM tasks WHERE id = $1" +
                    (for_update ? " FOR UPDATE" : ""),
                pg::Params().add(id));
  if (r.empty()) return std::nullopt;
  return rows::read_task(r[0]);
}

std::optional<DagRunRecord> PostgresStore::Tx::load_dag_run(DagRunId id, bool for_update) {
  auto r = exec(std::string("SELECT ") + rows::kDagRunColumns + " FROM dag_runs WHERE id = $1" +
                    (for_update ? " FOR UPDATE" : ""),
                pg::Params().add(id));
  if (r.empty()) return std::nullopt;
  return rows::read_dag_run(r[0]);
}

Submitted<TaskRecord> PostgresStore::Tx::insert_task(const TaskInput& in, DagRunId dag,
                                                     TaskState state, Time now) {
  const Time run_after = in.run_after.count() == 0 ? now : in.run_after;
  // ON CONFLICT: a concurrent submission with the same key on another replica waits for
  // the first to commit, then finds its row below.
  auto inserted = exec(
      "INSERT INTO tasks(tenant, kind, model, modality, payload, callback_url, priority, "
      "idempotency_key, max_retries, backoff_ns, timeout_ns, deadline_ns, run_after_ns, "
      "dag_run_id, dag_node, preferred_node, state, created_ns, updated_ns) "
      "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
      "$18) ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
      "RETURNING id",
      pg::Params()
          .add(in.tenant)
          .add(in.kind)
          .add(in.model)
          .add(in.modality)
          .add(in.payload)
          .add(in.callback_url)
          .add(in.priority)
          .add(key_or_null(in.idempotency_key))
          .add(in.max_retries)
          .add(static_cast<std::int64_t>(in.backoff.count()))
          .add(static_cast<std::int64_t>(in.timeout.count()))
          .add(opt_ns(in.deadline))
          .add(ns(run_after))
          .add(dag == 0 ? std::nullopt : std::optional<std::int64_t>(dag))
          .add(in.dag_node)
          .add(in.preferred_node)
          .add(task_state_name(state))
          .add(ns(now)));
  if (inserted.empty()) {
    auto existing = exec("SELECT id FROM tasks WHERE tenant = $1 AND idempotency_key = $2",
                         pg::Params().add(in.tenant).add(in.idempotency_key));
    return {*load_task(existing[0].int64(0)), false};
  }
  TaskRecord rec;
  rec.id = inserted[0].int64(0);
  rec.input = in;
  rec.input.run_after = run_after;
  rec.dag_run = dag;
  rec.state = state;
  rec.created_at = now;
  rec.updated_at = now;
  append_event(rec.id, dag, state, now, "submitted");
  return {std::move(rec), true};
}

bool PostgresStore::Tx::fence_holds(std::int64_t fence) {
  if (fence == 0) return true;
  auto r = exec(
      "INSERT INTO leader_fence(id, token) VALUES(1, $1) ON CONFLICT (id) DO UPDATE SET "
      "token = GREATEST(leader_fence.token, EXCLUDED.token) RETURNING token",
      pg::Params().add(fence));
  return r[0].int64(0) <= fence;
}

// --- PostgresStore ---

PostgresStore::PostgresStore(std::unique_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

PostgresStore::~PostgresStore() {
  stopping_ = true;
  if (listener_.joinable()) listener_.join();
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const std::string& conninfo,
                                                           const PostgresOptions& options) {
  auto pool = std::make_unique<pg::Pool>(
      pg::ConnectTarget{conninfo, options.user, options.password}, options.connections);
  try {
    auto conn = pool->acquire();
    const int version = migrate(*conn, ns(options.opened_at));
    std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(pool)));
    store->schema_version_ = version;
    return store;
  } catch (const pg::PgError& e) {
    return core::unavailable(std::string("cannot open the task store on PostgreSQL: ") + e.what());
  }
}

void PostgresStore::on_new_work(std::function<void()> wake) {
  {
    std::lock_guard lock(wake_mu_);
    wake_ = std::move(wake);
  }
  if (!listener_.joinable()) listener_ = std::thread([this] { listen_loop(); });
}

void PostgresStore::listen_loop() {
  using namespace std::chrono_literals;
  std::unique_ptr<pg::Connection> conn;
  while (!stopping_) {
    try {
      if (!conn || !conn->healthy()) {
        conn = std::make_unique<pg::Connection>(pool_->target());
        conn->exec(std::string("LISTEN ") + kWorkChannel);
      }
      pollfd fd{PQsocket(conn->raw()), POLLIN, 0};
      if (::poll(&fd, 1, 200) <= 0) continue;          // wakes every 200 ms to see stopping_
      if (PQconsumeInput(conn->raw()) == 0) continue;  // lost: reconnect at the top
      bool any = false;
      while (PGnotify* n = PQnotifies(conn->raw())) {
        any = true;
        PQfreemem(n);
      }
      if (any) {
        std::lock_guard lock(wake_mu_);
        if (wake_) wake_();
      }
    } catch (const pg::PgError&) {
      conn.reset();
      for (int i = 0; i < 5 && !stopping_; ++i) std::this_thread::sleep_for(200ms);
    }
  }
}

Result<Submitted<TaskRecord>> PostgresStore::submit_task(const TaskInput& task, Time now) {
  return transact([&](Tx& tx) -> Result<Submitted<TaskRecord>> {
    auto out = tx.insert_task(task, 0, TaskState::kQueued, now);
    return out;
  });
}

Result<std::vector<Submitted<TaskRecord>>> PostgresStore::submit_tasks(
    std::span<const TaskInput> tasks, Time now) {
  return transact([&](Tx& tx) -> Result<std::vector<Submitted<TaskRecord>>> {
    std::vector<Submitted<TaskRecord>> out;
    out.reserve(tasks.size());
    for (const auto& t : tasks) out.push_back(tx.insert_task(t, 0, TaskState::kQueued, now));
    return out;
  });
}

Result<TaskRecord> PostgresStore::get_task(TaskId id) {
  return transact([&](Tx& tx) -> Result<TaskRecord> {
    auto t = tx.load_task(id);
    if (!t) return rows::no_task(id);
    return std::move(*t);
  });
}

pg::Rows PostgresStore::select_page(Tx& tx, const char* table, const char* columns,
                                    const TaskQuery& query, std::optional<TaskId> before) {
  std::string sql = std::string("SELECT ") + columns + " FROM " + table + " WHERE TRUE";
  pg::Params params;
  int n = 0;
  if (query.state) {
    sql += " AND state = $" + std::to_string(++n);
    params.add(task_state_name(*query.state));
  }
  if (query.tenant) {
    sql += " AND tenant = $" + std::to_string(++n);
    params.add(*query.tenant);
  }
  if (before) {
    sql += " AND id < $" + std::to_string(++n);
    params.add(*before);
  }
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(++n);
  params.add(static_cast<std::int64_t>(query.limit + 1));
  return tx.exec(sql, params);
}

Result<TaskPage> PostgresStore::list_tasks(const TaskQuery& query) {
  auto start = rows::page_start(query);
  if (!start) return start.status();
  const std::optional<TaskId> before = *start;
  return transact([&](Tx& tx) -> Result<TaskPage> {
    auto r = select_page(tx, "tasks", rows::kTaskColumns, query, before);
    TaskPage page;
    for (int i = 0; i < r.size(); ++i) page.tasks.push_back(rows::read_task(r[i]));
    rows::finish_page(page, query.limit);
    return page;
  });
}

Result<std::vector<TaskEvent>> PostgresStore::events_since(std::int64_t after_seq,
                                                           std::size_t limit, TaskId task) {
  return transact([&](Tx& tx) -> Result<std::vector<TaskEvent>> {
    pg::Params params;
    params.add(after_seq).add(static_cast<std::int64_t>(limit));
    if (task != 0) params.add(task);
    auto r = tx.exec(std::string("SELECT seq, task_id, dag_run_id, state, at_ns, detail FROM "
                                 "events WHERE seq > $1") +
                         (task != 0 ? " AND task_id = $3" : "") + " ORDER BY seq LIMIT $2",
                     params);
    std::vector<TaskEvent> out;
    for (int i = 0; i < r.size(); ++i) {
      TaskEvent e;
      e.seq = r[i].int64(0);
      e.task = r[i].int64(1);
      e.dag_run = r[i].int64(2);
      e.state = task_state_from_name(r[i].text(3)).value_or(TaskState::kFailed);
      e.at = Time{r[i].int64(4)};
      e.detail = r[i].text(5);
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace autoglm::store
