// SqliteStore: opening, submission, lookup, listing and the event log.
#include "store/sqlite_store.hpp"

#include "store/sqlite_group_commit.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_schema.hpp"

namespace autoglm::store {

using sqlite::guarded;
using sqlite::ns;
using sqlite::opt_ns;

namespace {

std::optional<std::string> key_or_null(const std::string& key) {
  if (key.empty()) return std::nullopt;
  return key;
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<sqlite::Connection> db)
    : db_(std::move(db)), commit_(std::make_unique<sqlite::GroupCommit>(*db_, mu_)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const SqliteOptions& options) {
  if (path.empty()) return core::invalid_argument("the SQLite path is empty", "database.url");
  try {
    auto db = std::make_unique<sqlite::Connection>(path);
    // WAL: readers never block the writer and a commit is one sequential append.
    db->exec("PRAGMA journal_mode=WAL");
    db->exec(options.sync == SyncMode::kFull ? "PRAGMA synchronous=FULL"
                                             : "PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    const int version = sqlite::migrate(*db, ns(options.opened_at));
    std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
    store->schema_version_ = version;
    return store;
  } catch (const sqlite::SqliteError& e) {
    return core::unavailable("cannot open the task store at '" + path + "': " + e.what());
  }
}

int SqliteStore::synchronous_pragma() {
  std::lock_guard lock(mu_);
  auto& q = db_->prepare("PRAGMA synchronous");
  const int v = q.step() ? static_cast<int>(q.int64(0)) : -1;
  q.reset();
  return v;
}

std::string SqliteStore::journal_mode() {
  std::lock_guard lock(mu_);
  auto& q = db_->prepare("PRAGMA journal_mode");
  std::string v = q.step() ? q.text(0) : "";
  q.reset();
  return v;
}

void SqliteStore::append_event(TaskId task, DagRunId dag, TaskState state, Time now,
                               std::string_view detail) {
  db_->prepare(
         "INSERT INTO events(task_id, dag_run_id, state, at_ns, detail) VALUES(?, ?, ?, ?, ?)")
      .bind(1, task)
      .bind(2, dag)
      .bind(3, task_state_name(state))
      .bind(4, ns(now))
      .bind(5, detail)
      .run();
}

void SqliteStore::set_task_state(const TaskRecord& task, TaskState state, Time now,
                                 std::string_view detail) {
  const bool terminal = is_terminal(state);
  db_->prepare(
         "UPDATE tasks SET state = ?, updated_ns = ?, finished_ns = CASE WHEN ? THEN ? ELSE "
         "finished_ns END, owner = CASE WHEN ? THEN '' ELSE owner END WHERE id = ?")
      .bind(1, task_state_name(state))
      .bind(2, ns(now))
      .bind(3, terminal ? 1 : 0)
      .bind(4, ns(now))
      .bind(5, terminal ? 1 : 0)
      .bind(6, task.id)
      .run();
  append_event(task.id, task.dag_run, state, now, detail);
}

std::optional<TaskRecord> SqliteStore::load_task(TaskId id) {
  auto& q =
      db_->prepare(std::string("SELECT ") + sqlite::kTaskColumns + " FROM tasks WHERE id = ?");
  q.bind(1, id);
  std::optional<TaskRecord> out;
  if (q.step()) out = sqlite::read_task(q);
  q.reset();
  return out;
}

Submitted<TaskRecord> SqliteStore::insert_task(const TaskInput& in, DagRunId dag, TaskState state,
                                               Time now) {
  if (!in.idempotency_key.empty()) {
    auto& q = db_->prepare("SELECT id FROM tasks WHERE tenant = ? AND idempotency_key = ?");
    q.bind(1, in.tenant).bind(2, in.idempotency_key);
    const std::optional<TaskId> existing = q.step() ? std::optional(q.int64(0)) : std::nullopt;
    q.reset();
    if (existing) return {*load_task(*existing), false};
  }
  const Time run_after = in.run_after.count() == 0 ? now : in.run_after;
  db_->prepare(
         "INSERT INTO tasks(tenant, kind, model, modality, payload, callback_url, priority, "
         "idempotency_key, max_retries, backoff_ns, timeout_ns, deadline_ns, run_after_ns, "
         "dag_run_id, dag_node, preferred_node, state, created_ns, updated_ns) "
         "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, in.tenant)
      .bind(2, in.kind)
      .bind(3, in.model)
      .bind(4, in.modality)
      .bind(5, in.payload)
      .bind(6, in.callback_url)
      .bind(7, in.priority)
      .bind(8, key_or_null(in.idempotency_key))
      .bind(9, in.max_retries)
      .bind(10, in.backoff.count())
      .bind(11, in.timeout.count())
      .bind(12, opt_ns(in.deadline))
      .bind(13, ns(run_after))
      .bind(14, dag == 0 ? std::nullopt : std::optional<std::int64_t>(dag))
      .bind(15, in.dag_node)
      .bind(16, in.preferred_node)
      .bind(17, task_state_name(state))
      .bind(18, ns(now))
      .bind(19, ns(now))
      .run();
  TaskRecord rec;
  rec.id = db_->last_insert_rowid();
  rec.input = in;
  rec.input.run_after = run_after;
  rec.dag_run = dag;
  rec.state = state;
  rec.created_at = now;
  rec.updated_at = now;
  append_event(rec.id, dag, state, now, "submitted");
  return {std::move(rec), true};
}

Result<Submitted<TaskRecord>> SqliteStore::submit_task(const TaskInput& task, Time now) {
  return commit_->write([&]() -> Result<Submitted<TaskRecord>> {
    auto out = insert_task(task, 0, TaskState::kQueued, now);
    return out;
  });
}

Result<std::vector<Submitted<TaskRecord>>> SqliteStore::submit_tasks(
    std::span<const TaskInput> tasks, Time now) {
  return commit_->write([&]() -> Result<std::vector<Submitted<TaskRecord>>> {
    std::vector<Submitted<TaskRecord>> out;
    out.reserve(tasks.size());
    for (const auto& t : tasks) out.push_back(insert_task(t, 0, TaskState::kQueued, now));
    return out;
  });
}

Result<TaskRecord> SqliteStore::get_task(TaskId id) {
  return guarded(mu_, [&]() -> Result<TaskRecord> {
    auto t = load_task(id);
    if (!t) return rows::no_task(id);
    return std::move(*t);
  });
}

Result<TaskPage> SqliteStore::list_tasks(const TaskQuery& query) {
  auto start = rows::page_start(query);
  if (!start) return start.status();
  const std::optional<TaskId> before = *start;
  return guarded(mu_, [&]() -> Result<TaskPage> {
    auto& q = prepare_page("tasks", sqlite::kTaskColumns, query, before);
    TaskPage page;
    while (q.step()) page.tasks.push_back(sqlite::read_task(q));
    q.reset();
    rows::finish_page(page, query.limit);
    return page;
  });
}

sqlite::Statement& SqliteStore::prepare_page(const char* table, const char* columns,
                                             const TaskQuery& query, std::optional<TaskId> before) {
  std::string sql = std::string("SELECT ") + columns + " FROM " + table + " WHERE 1";
  if (query.state) sql += " AND state = ?1";
  if (query.tenant) sql += " AND tenant = ?2";
  if (before) sql += " AND id < ?3";
  sql += " ORDER BY id DESC LIMIT ?4";
  auto& q = db_->prepare(sql);
  if (query.state) q.bind(1, task_state_name(*query.state));
  if (query.tenant) q.bind(2, *query.tenant);
  if (before) q.bind(3, *before);
  q.bind(4, static_cast<std::int64_t>(query.limit + 1));
  return q;
}

Result<std::vector<TaskEvent>> SqliteStore::events_since(std::int64_t after_seq, std::size_t limit,
                                                         TaskId task) {
  return guarded(mu_, [&]() -> Result<std::vector<TaskEvent>> {
    const std::string sql =
        std::string(
            "SELECT seq, task_id, dag_run_id, state, at_ns, detail FROM events WHERE "
            "seq > ?1") +
        (task != 0 ? " AND task_id = ?2" : "") + " ORDER BY seq LIMIT ?3";
    auto& q = db_->prepare(sql);
    q.bind(1, after_seq);
    if (task != 0) q.bind(2, task);
    q.bind(3, static_cast<std::int64_t>(limit));
    std::vector<TaskEvent> out;
    while (q.step()) {
      TaskEvent e;
      e.seq = q.int64(0);
      e.task = q.int64(1);
      e.dag_run = q.int64(2);
      e.state = task_state_from_name(q.text(3)).value_or(TaskState::kFailed);
      e.at = Time{q.int64(4)};
      e.detail = q.text(5);
      out.push_back(std::move(e));
    }
    q.reset();
    return out;
  });
}

}  // namespace autoglm::store
