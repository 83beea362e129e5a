// SqliteStore: DAG runs and their nodes, and cron/event triggers.
#include "store/sqlite_group_commit.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_store.hpp"

namespace autoglm::store {

using sqlite::guarded;
using sqlite::ns;
using sqlite::opt_ns;

namespace {
core::Status fenced_out(std::int64_t fence) {
  return core::Status(core::ErrorCode::kConflict,
                      "leader-only write refused: fencing token " + std::to_string(fence) +
                          " is older than one already used (a newer leader took over)");
}
}  // namespace

bool SqliteStore::fence_holds(std::int64_t fence) {
  if (fence == 0) return true;
  db_->prepare(
         "INSERT INTO leader_fence(id, token) VALUES(1, ?1) ON CONFLICT(id) DO UPDATE SET "
         "token = max(token, excluded.token)")
      .bind(1, fence)
      .run();
  auto& q = db_->prepare("SELECT token FROM leader_fence WHERE id = 1");
  const std::int64_t highest = q.step() ? q.int64(0) : fence;
  q.reset();
  return highest <= fence;
}

std::optional<DagRunRecord> SqliteStore::load_dag_run(DagRunId id) {
  auto& q =
      db_->prepare(std::string("SELECT ") + sqlite::kDagRunColumns + " FROM dag_runs WHERE id = ?");
  q.bind(1, id);
  std::optional<DagRunRecord> out;
  if (q.step()) out = sqlite::read_dag_run(q);
  q.reset();
  return out;
}

Result<Submitted<DagRunRecord>> SqliteStore::create_dag_run(const DagRunInput& run,
                                                            std::span<const TaskInput> nodes,
                                                            Time now) {
  return commit_->write([&]() -> Result<Submitted<DagRunRecord>> {
    if (!run.idempotency_key.empty()) {
      auto& q = db_->prepare("SELECT id FROM dag_runs WHERE tenant = ? AND idempotency_key = ?");
      q.bind(1, run.tenant).bind(2, run.idempotency_key);
      const std::optional<DagRunId> existing = q.step() ? std::optional(q.int64(0)) : std::nullopt;
      q.reset();
      if (existing) return Submitted<DagRunRecord>{*load_dag_run(*existing), false};
    }
    db_->prepare(
           "INSERT INTO dag_runs(tenant, name, spec, max_parallelism, idempotency_key, "
           "trigger_id, state, created_ns, updated_ns) VALUES(?, ?, ?, ?, ?, ?, 'running', ?, ?)")
        .bind(1, run.tenant)
        .bind(2, run.name)
        .bind(3, run.spec)
        .bind(4, run.max_parallelism)
        .bind(5, run.idempotency_key.empty() ? std::nullopt
                                             : std::optional<std::string>(run.idempotency_key))
        .bind(6, run.trigger_id)
        .bind(7, ns(now))
        .bind(8, ns(now))
        .run();
    const DagRunId id = db_->last_insert_rowid();
    append_event(0, id, TaskState::kRunning, now, "DAG run '" + run.name + "' created");
    for (const auto& n : nodes) {
      TaskInput node = n;
      node.idempotency_key.clear();  // the run's key covers its nodes
      insert_task(node, id, TaskState::kPending, now);
    }
    Submitted<DagRunRecord> out{*load_dag_run(id), true};
    return out;
  });
}

Result<DagRunRecord> SqliteStore::get_dag_run(DagRunId id) {
  return guarded(mu_, [&]() -> Result<DagRunRecord> {
    auto d = load_dag_run(id);
    if (!d) return core::not_found("no DAG run with id " + std::to_string(id), "id");
    return std::move(*d);
  });
}

Result<std::vector<TaskRecord>> SqliteStore::dag_nodes(DagRunId id) {
  return guarded(mu_, [&]() -> Result<std::vector<TaskRecord>> {
    auto& q = db_->prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                           " FROM tasks WHERE dag_run_id = ? ORDER BY id");
    q.bind(1, id);
    std::vector<TaskRecord> out;
    while (q.step()) out.push_back(sqlite::read_task(q));
    q.reset();
    return out;
  });
}

Result<std::vector<DagRunRecord>> SqliteStore::list_dag_runs(std::optional<TaskState> state,
                                                             std::size_t limit) {
  return guarded(mu_, [&]() -> Result<std::vector<DagRunRecord>> {
    const std::string sql = std::string("SELECT ") + sqlite::kDagRunColumns + " FROM dag_runs" +
                            (state ? " WHERE state = ?1" : "") + " ORDER BY id DESC LIMIT ?2";
    auto& q = db_->prepare(sql);
    if (state) q.bind(1, task_state_name(*state));
    q.bind(2, static_cast<std::int64_t>(limit));
    std::vector<DagRunRecord> out;
    while (q.step()) out.push_back(sqlite::read_dag_run(q));
    q.reset();
    return out;
  });
}

Result<DagRunPage> SqliteStore::page_dag_runs(const TaskQuery& query) {
  auto start = rows::page_start(query);
  if (!start) return start.status();
  const std::optional<TaskId> before = *start;
  return guarded(mu_, [&]() -> Result<DagRunPage> {
    auto& q = prepare_page("dag_runs", sqlite::kDagRunColumns, query, before);
    DagRunPage page;
    while (q.step()) page.runs.push_back(sqlite::read_dag_run(q));
    q.reset();
    rows::finish_page(page, query.limit);
    return page;
  });
}

Status SqliteStore::update_dag_nodes(DagRunId id, std::span<const NodeUpdate> updates, Time now,
                                     std::int64_t fence) {
  return commit_->write([&]() -> Status {
    if (!fence_holds(fence)) return fenced_out(fence);
    for (const auto& u : updates) {
      auto t = load_task(u.task);
      if (!t || t->dag_run != id || t->state != TaskState::kPending) continue;
      db_->prepare(
             "UPDATE tasks SET payload = COALESCE(?, payload), preferred_node = ?, "
             "run_after_ns = ?, updated_ns = ? WHERE id = ?")
          .bind(1, u.payload)
          .bind(2, u.preferred_node)
          .bind(3, ns(now))
          .bind(4, ns(now))
          .bind(5, u.task)
          .run();
      set_task_state(*t, u.state, now, u.reason.empty() ? "released" : u.reason);
    }
    return Status::ok();
  });
}

Status SqliteStore::finish_dag_run(DagRunId id, TaskState state, Time now, std::int64_t fence) {
  return commit_->write([&]() -> Status {
    if (!fence_holds(fence)) return fenced_out(fence);
    auto& q = db_->prepare(
        "UPDATE dag_runs SET state = ?, finished_ns = ?, updated_ns = ? WHERE id = ? AND "
        "state = 'running'");
    q.bind(1, task_state_name(state)).bind(2, ns(now)).bind(3, ns(now)).bind(4, id).run();
    if (db_->changes() > 0) append_event(0, id, state, now, "DAG run finished");
    return Status::ok();
  });
}

Result<DagRunRecord> SqliteStore::cancel_dag_run(DagRunId id, Time now) {
  return commit_->write([&]() -> Result<DagRunRecord> {
    auto run = load_dag_run(id);
    if (!run) return core::not_found("no DAG run with id " + std::to_string(id), "id");
    if (run->state != TaskState::kRunning) return std::move(*run);
    std::vector<TaskRecord> open;
    {
      auto& q = db_->prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                             " FROM tasks WHERE dag_run_id = ? AND state IN ('pending', "
                             "'queued', 'running') ORDER BY id");
      q.bind(1, id);
      while (q.step()) open.push_back(sqlite::read_task(q));
      q.reset();
    }
    for (const auto& t : open) set_task_state(t, TaskState::kCancelled, now, "DAG run cancelled");
    db_->prepare(
           "UPDATE dag_runs SET state = 'cancelled', finished_ns = ?, updated_ns = ? WHERE id = ?")
        .bind(1, ns(now))
        .bind(2, ns(now))
        .bind(3, id)
        .run();
    append_event(0, id, TaskState::kCancelled, now, "DAG run cancelled");
    DagRunRecord out = *load_dag_run(id);
    return out;
  });
}

Status SqliteStore::put_trigger(const TriggerRecord& t) {
  if (t.id.empty()) return core::invalid_argument("a trigger needs an id", "id");
  return commit_->write([&]() -> Status {
    db_->prepare(
           "INSERT OR REPLACE INTO triggers(id, kind, spec, enabled, next_fire_ns, "
           "last_fired_ns, last_target, created_ns) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, t.id)
        .bind(2, trigger_kind_name(t.kind))
        .bind(3, t.spec)
        .bind(4, t.enabled ? 1 : 0)
        .bind(5, opt_ns(t.next_fire))
        .bind(6, opt_ns(t.last_fired))
        .bind(7, t.last_target)
        .bind(8, ns(t.created_at))
        .run();
    return Status::ok();
  });
}

Result<TriggerRecord> SqliteStore::get_trigger(std::string_view id) {
  return guarded(mu_, [&]() -> Result<TriggerRecord> {
    auto& q = db_->prepare(std::string("SELECT ") + sqlite::kTriggerColumns +
                           " FROM triggers WHERE id = ?");
    q.bind(1, id);
    std::optional<TriggerRecord> out;
    if (q.step()) out = sqlite::read_trigger(q);
    q.reset();
    if (!out) return core::not_found("no trigger named '" + std::string(id) + "'", "id");
    return std::move(*out);
  });
}

Status SqliteStore::remove_trigger(std::string_view id) {
  return commit_->write([&]() -> Status {
    db_->prepare("DELETE FROM triggers WHERE id = ?").bind(1, id).run();
    if (db_->changes() == 0) {
      return core::not_found("no trigger named '" + std::string(id) + "'", "id");
    }
    return Status::ok();
  });
}

Result<std::vector<TriggerRecord>> SqliteStore::list_triggers(std::optional<TriggerKind> kind) {
  return guarded(mu_, [&]() -> Result<std::vector<TriggerRecord>> {
    const std::string sql = std::string("SELECT ") + sqlite::kTriggerColumns + " FROM triggers" +
                            (kind ? " WHERE kind = ?1" : "") + " ORDER BY id";
    auto& q = db_->prepare(sql);
    if (kind) q.bind(1, trigger_kind_name(*kind));
    std::vector<TriggerRecord> out;
    while (q.step()) out.push_back(sqlite::read_trigger(q));
    q.reset();
    return out;
  });
}

Result<bool> SqliteStore::advance_trigger(std::string_view id, std::optional<Time> expected_next,
                                          std::optional<Time> new_next,
                                          std::optional<Time> fired_at,
                                          std::string_view last_target, std::int64_t fence) {
  return commit_->write([&]() -> Result<bool> {
    if (!fence_holds(fence)) return fenced_out(fence);
    auto& q = db_->prepare(
        "UPDATE triggers SET next_fire_ns = ?1, last_fired_ns = COALESCE(?2, last_fired_ns), "
        "last_target = CASE WHEN ?3 = '' THEN last_target ELSE ?3 END "
        "WHERE id = ?4 AND next_fire_ns IS ?5");
    q.bind(1, opt_ns(new_next))
        .bind(2, opt_ns(fired_at))
        .bind(3, last_target)
        .bind(4, id)
        .bind(5, opt_ns(expected_next))
        .run();
    return db_->changes() > 0;
  });
}

}  // namespace autoglm::store
