// PostgresStore: DAG runs and their nodes, and cron/event triggers.
#include "store/pg_store.hpp"
#include "store/pg_tx.hpp"

namespace autoglm::store {

using rows::ns;
using rows::opt_ns;

Result<Submitted<DagRunRecord>> PostgresStore::create_dag_run(const DagRunInput& run,
                                                              std::span<const TaskInput> nodes,
                                                              Time now) {
  return transact([&](Tx& tx) -> Result<Submitted<DagRunRecord>> {
    auto inserted = tx.exec(
        "INSERT INTO dag_runs(tenant, name, spec, max_parallelism, idempotency_key, trigger_id, "
        "state, created_ns, updated_ns) VALUES($1, $2, $3, $4, $5, $6, 'running', $7, $7) "
        "ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
        "RETURNING id",
        pg::Params()
            .add(run.tenant)
            .add(run.name)
            .add(run.spec)
            .add(run.max_parallelism)
            .add(run.idempotency_key.empty() ? std::nullopt
                                             : std::optional<std::string>(run.idempotency_key))
            .add(run.trigger_id)
            .add(ns(now)));
    if (inserted.empty()) {
      auto existing = tx.exec("SELECT id FROM dag_runs WHERE tenant = $1 AND idempotency_key = $2",
                              pg::Params().add(run.tenant).add(run.idempotency_key));
      return Submitted<DagRunRecord>{*tx.load_dag_run(existing[0].int64(0)), false};
    }
    const DagRunId id = inserted[0].int64(0);
    tx.append_event(0, id, TaskState::kRunning, now, "DAG run '" + run.name + "' created");
    for (const auto& n : nodes) {
      TaskInput node = n;
      node.idempotency_key.clear();  // the run's key covers its nodes
      tx.insert_task(node, id, TaskState::kPending, now);
    }
    Submitted<DagRunRecord> out{*tx.load_dag_run(id), true};
    return out;
  });
}

Result<DagRunRecord> PostgresStore::get_dag_run(DagRunId id) {
  return transact([&](Tx& tx) -> Result<DagRunRecord> {
    auto d = tx.load_dag_run(id);
    if (!d) return core::not_found("no DAG run with id " + std::to_string(id), "id");
    return std::move(*d);
  });
}

Result<std::vector<TaskRecord>> PostgresStore::dag_nodes(DagRunId id) {
  return transact([&](Tx& tx) -> Result<std::vector<TaskRecord>> {
    auto r = tx.exec(std::string("SELECT ") + rows::kTaskColumns +
                         " FROM tasks WHERE dag_run_id = $1 ORDER BY id",
                     pg::Params().add(id));
    std::vector<TaskRecord> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(rows::read_task(r[i]));
    return out;
  });
}

Result<std::vector<DagRunRecord>> PostgresStore::list_dag_runs(std::optional<TaskState> state,
                                                               std::size_t limit) {
  return transact([&](Tx& tx) -> Result<std::vector<DagRunRecord>> {
    pg::Params params;
    params.add(static_cast<std::int64_t>(limit));
    if (state) params.add(task_state_name(*state));
    auto r = tx.exec(std::string("SELECT ") + rows::kDagRunColumns + " FROM dag_runs" +
                         (state ? " WHERE state = $2" : "") + " ORDER BY id DESC LIMIT $1",
                     params);
    std::vector<DagRunRecord> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(rows::read_dag_run(r[i]));
    return out;
  });
}

Result<DagRunPage> PostgresStore::page_dag_runs(const TaskQuery& query) {
  auto start = rows::page_start(query);
  if (!start) return start.status();
  const std::optional<TaskId> before = *start;
  return transact([&](Tx& tx) -> Result<DagRunPage> {
    auto r = select_page(tx, "dag_runs", rows::kDagRunColumns, query, before);
    DagRunPage page;
    for (int i = 0; i < r.size(); ++i) page.runs.push_back(rows::read_dag_run(r[i]));
    rows::finish_page(page, query.limit);
    return page;
  });
}

Status PostgresStore::update_dag_nodes(DagRunId id, std::span<const NodeUpdate> updates, Time now,
                                       std::int64_t fence) {
  return transact([&](Tx& tx) -> Status {
    if (!tx.fence_holds(fence)) return fenced_out(fence);
    for (const auto& u : updates) {
      auto t = tx.load_task(u.task, true);
      if (!t || t->dag_run != id || t->state != TaskState::kPending) continue;
      tx.exec(
          "UPDATE tasks SET payload = COALESCE($1, payload), preferred_node = $2, "
          "run_after_ns = $3, updated_ns = $3 WHERE id = $4",
          pg::Params().add(u.payload).add(u.preferred_node).add(ns(now)).add(u.task));
      tx.set_task_state(*t, u.state, now, u.reason.empty() ? "released" : u.reason);
    }
    return Status::ok();
  });
}

Status PostgresStore::finish_dag_run(DagRunId id, TaskState state, Time now, std::int64_t fence) {
  return transact([&](Tx& tx) -> Status {
    if (!tx.fence_holds(fence)) return fenced_out(fence);
    auto r = tx.exec(
        "UPDATE dag_runs SET state = $1, finished_ns = $2, updated_ns = $2 WHERE id = $3 AND "
        "state = 'running'",
        pg::Params().add(task_state_name(state)).add(ns(now)).add(id));
    if (r.affected() > 0) tx.append_event(0, id, state, now, "DAG run finished");
    return Status::ok();
  });
}

Result<DagRunRecord> PostgresStore::cancel_dag_run(DagRunId id, Time now) {
  return transact([&](Tx& tx) -> Result<DagRunRecord> {
    auto run = tx.load_dag_run(id, true);
    if (!run) return core::not_found("no DAG run with id " + std::to_string(id), "id");
    if (run->state != TaskState::kRunning) return std::move(*run);
    auto open = tx.exec(std::string("SELECT ") + rows::kTaskColumns +
                            " FROM tasks WHERE dag_run_id = $1 AND state IN ('pending', "
                            "'queued', 'running') ORDER BY id FOR UPDATE",
                        pg::Params().add(id));
    for (int i = 0; i < open.size(); ++i) {
      tx.set_task_state(rows::read_task(open[i]), TaskState::kCancelled, now, "DAG run cancelled");
    }
    tx.exec(
        "UPDATE dag_runs SET state = 'cancelled', finished_ns = $1, updated_ns = $1 WHERE id = $2",
        pg::Params().add(ns(now)).add(id));
    tx.append_event(0, id, TaskState::kCancelled, now, "DAG run cancelled");
    DagRunRecord out = *tx.load_dag_run(id);
    return out;
  });
}

Status PostgresStore::put_trigger(const TriggerRecord& t) {
  if (t.id.empty()) return core::invalid_argument("a trigger needs an id", "id");
  return transact([&](Tx& tx) -> Status {
    tx.exec(
        "INSERT INTO triggers(id, kind, spec, enabled, next_fire_ns, last_fired_ns, "
        "last_target, created_ns) VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO "
        "UPDATE SET kind = EXCLUDED.kind, spec = EXCLUDED.spec, enabled = EXCLUDED.enabled, "
        "next_fire_ns = EXCLUDED.next_fire_ns, last_fired_ns = EXCLUDED.last_fired_ns, "
        "last_target = EXCLUDED.last_target, created_ns = EXCLUDED.created_ns",
        pg::Params()
            .add(t.id)
            .add(trigger_kind_name(t.kind))
            .add(t.spec)
            .add(t.enabled ? "true" : "false")
            .add(opt_ns(t.next_fire))
            .add(opt_ns(t.last_fired))
            .add(t.last_target)
            .add(ns(t.created_at)));
    return Status::ok();
  });
}

Result<TriggerRecord> PostgresStore::get_trigger(std::string_view id) {
  return transact([&](Tx& tx) -> Result<TriggerRecord> {
    auto r =
        tx.exec(std::string("SELECT ") + rows::kTriggerColumns + " FROM triggers WHERE id = $1",
                pg::Params().add(id));
    if (r.empty()) return core::not_found("no trigger named '" + std::string(id) + "'", "id");
    return rows::read_trigger(r[0]);
  });
}

Status PostgresStore::remove_trigger(std::string_view id) {
  return transact([&](Tx& tx) -> Status {
    auto r = tx.exec("DELETE FROM triggers WHERE id = $1", pg::Params().add(id));
    if (r.affected() == 0) {
      return core::not_found("no trigger named '" + std::string(id) + "'", "id");
    }
    return Status::ok();
  });
}

Result<std::vector<TriggerRecord>> PostgresStore::list_triggers(std::optional<TriggerKind> kind) {
  return transact([&](Tx& tx) -> Result<std::vector<TriggerRecord>> {
    pg::Params params;
    if (kind) params.add(trigger_kind_name(*kind));
    auto r = tx.exec(std::string("SELECT ") + rows::kTriggerColumns + " FROM triggers" +
                         (kind ? " WHERE kind = $1" : "") + " ORDER BY id",
                     params);
    std::vector<TriggerRecord> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(rows::read_trigger(r[i]));
    return out;
  });
}

Result<bool> PostgresStore::advance_trigger(std::string_view id, std::optional<Time> expected_next,
                                            std::optional<Time> new_next,
                                            std::optional<Time> fired_at,
                                            std::string_view last_target, std::int64_t fence) {
  return transact([&](Tx& tx) -> Result<bool> {
    if (!tx.fence_holds(fence)) return fenced_out(fence);
    auto r = tx.exec(
        "UPDATE triggers SET next_fire_ns = $1::bigint, "
        "last_fired_ns = COALESCE($2::bigint, last_fired_ns), "
        "last_target = CASE WHEN $3::text = '' THEN last_target ELSE $3::text END "
        "WHERE id = $4 AND next_fire_ns IS NOT DISTINCT FROM $5::bigint",
        pg::Params()
            .add(opt_ns(new_next))
            .add(opt_ns(fired_at))
            .add(last_target)
            .add(id)
            .add(opt_ns(expected_next)));
    return r.affected() > 0;
  });
}

}  // namespace autoglm::store
