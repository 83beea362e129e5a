#include "store/sqlite_rows.hpp"

#include <sqlite3.h>

namespace autoglm::store::sqlite {

const char* const kTaskColumns =
    "id, tenant, kind, model, modality, payload, callback_url, priority, idempotency_key, "
    "max_retries, backoff_ns, timeout_ns, deadline_ns, run_after_ns, dag_run_id, dag_node, "
    "preferred_node, state, attempts, failures, created_ns, updated_ns, started_ns, "
    "finished_ns, owner, lease_expires_ns, result, error, ran_on";

const char* const kDagRunColumns =
    "id, tenant, name, spec, max_parallelism, idempotency_key, trigger_id, state, created_ns, "
    "updated_ns, finished_ns";

const char* const kTriggerColumns =
    "id, kind, spec, enabled, next_fire_ns, last_fired_ns, last_target, created_ns";

std::optional<std::int64_t> opt_ns(const std::optional<Time>& t) {
  if (!t) return std::nullopt;
  return t->count();
}

std::optional<Time> opt_time(const std::optional<std::int64_t>& v) {
  if (!v) return std::nullopt;
  return Time{*v};
}

TaskRecord read_task(const Statement& r) {
  TaskRecord t;
  t.id = r.int64(0);
  TaskInput& in = t.input;
  in.tenant = r.text(1);
  in.kind = r.text(2);
  in.model = r.text(3);
  in.modality = r.text(4);
  in.payload = r.text(5);
  in.callback_url = r.text(6);
  in.priority = static_cast<int>(r.int64(7));
  in.idempotency_key = r.text(8);
  in.max_retries = static_cast<int>(r.int64(9));
  in.backoff = Duration{r.int64(10)};
  in.timeout = Duration{r.int64(11)};
  in.deadline = opt_time(r.opt_int64(12));
  in.run_after = from_ns(r.int64(13));
  t.dag_run = r.opt_int64(14).value_or(0);
  in.dag_node = r.text(15);
  in.preferred_node = r.text(16);
  t.state = task_state_from_name(r.text(17)).value_or(TaskState::kFailed);
  t.attempts = static_cast<int>(r.int64(18));
  t.failures = static_cast<int>(r.int64(19));
  t.created_at = from_ns(r.int64(20));
  t.updated_at = from_ns(r.int64(21));
  t.started_at = opt_time(r.opt_int64(22));
  t.finished_at = opt_time(r.opt_int64(23));
  t.owner = r.text(24);
  t.lease_expires_at = opt_time(r.opt_int64(25));
  t.result = r.opt_text(26);
  t.error = r.text(27);
  t.ran_on = r.text(28);
  return t;
}

DagRunRecord read_dag_run(const Statement& r) {
  DagRunRecord d;
  d.id = r.int64(0);
  d.input.tenant = r.text(1);
  d.input.name = r.text(2);
  d.input.spec = r.text(3);
  d.input.max_parallelism = static_cast<int>(r.int64(4));
  d.input.idempotency_key = r.text(5);
  d.input.trigger_id = r.text(6);
  d.state = task_state_from_name(r.text(7)).value_or(TaskState::kFailed);
  d.created_at = from_ns(r.int64(8));
  d.updated_at = from_ns(r.int64(9));
  d.finished_at = opt_time(r.opt_int64(10));
  return d;
}

TriggerRecord read_trigger(const Statement& r) {
  TriggerRecord t;
  t.id = r.text(0);
  t.kind = r.text(1) == "event" ? TriggerKind::kEvent : TriggerKind::kCron;
  t.spec = r.text(2);
  t.enabled = r.int64(3) != 0;
  t.next_fire = opt_time(r.opt_int64(4));
  t.last_fired = opt_time(r.opt_int64(5));
  t.last_target = r.text(6);
  t.created_at = from_ns(r.int64(7));
  return t;
}

core::Status to_status(const SqliteError& e) {
  if (e.code() == SQLITE_BUSY || e.code() == SQLITE_LOCKED) {
    return core::unavailable("the task store is busy; retry shortly (" + std::string(e.what()) +
                             ")");
  }
  if (e.code() == SQLITE_FULL || e.code() == SQLITE_IOERR) {
    return core::unavailable("the task store cannot write: " + std::string(e.what()));
  }
  return {core::ErrorCode::kInternal, "task store error: " + std::string(e.what())};
}

}  // namespace autoglm::store::sqlite
