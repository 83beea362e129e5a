#include "store/sqlite_schema.hpp"

#include <array>
#include <string>

namespace autoglm::store::sqlite {
namespace {

// Append only: a released migration is never edited, a change is a new step.
constexpr std::array<const char*, 4> kMigrations = {
    // 1: tasks (standalone and DAG nodes), DAG runs, triggers, the event log.
    R"sql(
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL, kind TEXT NOT NULL, model TEXT NOT NULL, modality TEXT NOT NULL,
  payload TEXT NOT NULL, callback_url TEXT NOT NULL, priority INTEGER NOT NULL,
  idempotency_key TEXT, max_retries INTEGER NOT NULL, backoff_ns INTEGER NOT NULL,
  timeout_ns INTEGER NOT NULL, deadline_ns INTEGER, run_after_ns INTEGER NOT NULL,
  dag_run_id INTEGER, dag_node TEXT NOT NULL, preferred_node TEXT NOT NULL,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL, started_ns INTEGER,
  finished_ns INTEGER, owner TEXT NOT NULL DEFAULT '', lease_expires_ns INTEGER,
  result TEXT, error TEXT NOT NULL DEFAULT '', ran_on TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX tasks_idempotency ON tasks(tenant, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX tasks_queued ON tasks(priority DESC, id) WHERE state = 'queued';
CREATE INDEX tasks_leases ON tasks(lease_expires_ns) WHERE state = 'running';
CREATE INDEX tasks_by_state ON tasks(state, id);
CREATE INDEX tasks_by_dag ON tasks(dag_run_id, id) WHERE dag_run_id IS NOT NULL;
CREATE TABLE dag_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL,
  max_parallelism INTEGER NOT NULL, idempotency_key TEXT, trigger_id TEXT NOT NULL,
  state TEXT NOT NULL, created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL,
  finished_ns INTEGER);
CREATE UNIQUE INDEX dag_runs_idempotency ON dag_runs(tenant, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX dag_runs_by_state ON dag_runs(state, id);
CREATE TABLE triggers (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, spec TEXT NOT NULL, enabled INTEGER NOT NULL,
  next_fire_ns INTEGER, last_fired_ns INTEGER, last_target TEXT NOT NULL,
  created_ns INTEGER NOT NULL);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id INTEGER NOT NULL, dag_run_id INTEGER NOT NULL, state TEXT NOT NULL,
  at_ns INTEGER NOT NULL, detail TEXT NOT NULL);
CREATE INDEX events_by_task ON events(task_id, seq);
)sql",
    // 2: claim filters by model scan the queued index; keep per-model lookups cheap.
    R"sql(
CREATE INDEX tasks_queued_by_model ON tasks(model, priority DESC, id) WHERE state = 'queued';
)sql",
    // 3: the highest leader fencing token seen, for leader-only writes.
    R"sql(
CREATE TABLE leader_fence (id INTEGER PRIMARY KEY CHECK (id = 1), token INTEGER NOT NULL);
)sql",
    // 4: API keys created at run time (the secret's SHA-256 only), kept across restarts.
    R"sql(
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
  admin INTEGER NOT NULL, label TEXT NOT NULL, default_class TEXT NOT NULL,
  models TEXT NOT NULL, requests_per_second REAL NOT NULL, burst REAL NOT NULL,
  max_concurrent INTEGER NOT NULL, created_ns INTEGER NOT NULL, revoked_ns INTEGER);
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

int migrate(Connection& db, std::int64_t now_ns) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      "version INTEGER PRIMARY KEY, applied_ns INTEGER NOT NULL)");
  auto& q = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  int current = q.step() ? static_cast<int>(q.int64(0)) : 0;
  q.reset();
  if (current > latest_schema_version()) {
    throw SqliteError(0, "the database has schema version " + std::to_string(current) +
                             " but this build knows only up to " +
                             std::to_string(latest_schema_version()) +
                             "; run a newer autoglm against it");
  }
  for (int v = current + 1; v <= latest_schema_version(); ++v) {
    Transaction tx(db);
    db.exec(kMigrations[static_cast<std::size_t>(v - 1)]);
    db.prepare("INSERT INTO schema_version(version, applied_ns) VALUES(?, ?)")
        .bind(1, v)
        .bind(2, now_ns)
        .run();
    tx.commit();
    current = v;
  }
  return current;
}

}  // namespace autoglm::store::sqlite
