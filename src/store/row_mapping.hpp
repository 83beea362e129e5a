// Column lists and record readers shared by every SQL Store: SQLite and PostgreSQL keep
// the same tables and column names, so one mapping serves both. `Row` is any type with
// int64(col), text(col), opt_int64(col) and opt_text(col) (columns counted from 0).
#pragma once

#include <cstdint>
#include <optional>

#include "core/status.hpp"
#include "store/records.hpp"

namespace autoglm::store::rows {

// For SELECT ... FROM tasks, in read_task's order.
inline constexpr const char* kTaskColumns =
    "id, tenant, kind, model, modality, payload, callback_url, priority, idempotency_key, "
    "max_retries, backoff_ns, timeout_ns, deadline_ns, run_after_ns, dag_run_id, dag_node, "
    "preferred_node, state, attempts, failures, created_ns, updated_ns, started_ns, "
    "finished_ns, owner, lease_expires_ns, result, error, ran_on";

inline constexpr const char* kDagRunColumns =
    "id, tenant, name, spec, max_parallelism, idempotency_key, trigger_id, state, created_ns, "
    "updated_ns, finished_ns";

inline constexpr const char* kTriggerColumns =
    "id, kind, spec, enabled, next_fire_ns, last_fired_ns, last_target, created_ns";

inline std::int64_t ns(Time t) { return t.count(); }
inline Time from_ns(std::int64_t v) { return Time{v}; }
inline std::optional<std::int64_t> opt_ns(const std::optional<Time>& t) {
  if (!t) return std::nullopt;
  return t->count();
}
inline std::optional<Time> opt_time(const std::optional<std::int64_t>& v) {
  if (!v) return std::nullopt;
  return Time{*v};
}

template <typename Row>
TaskRecord read_task(const Row& r) {
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

template <typename Row>
DagRunRecord read_dag_run(const Row& r) {
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

template <typename Row>
TriggerRecord read_trigger(const Row& r) {
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

// Task list pages: "c<id>" names the last id of the previous page.
std::string encode_cursor(TaskId last);
std::optional<TaskId> decode_cursor(std::string_view cursor);
// Checks a list query's limit and cursor; the id the page starts below (nullopt: the
// newest first), or kInvalidArgument naming the bad field.
core::Result<std::optional<TaskId>> page_start(const TaskQuery& query);
// Ends a page read with limit + 1 rows: drops the extra row and sets next_cursor.
void finish_page(TaskPage& page, std::size_t limit);
void finish_page(DagRunPage& page, std::size_t limit);
// kNotFound for an unknown task id, worded the same by every store.
core::Status no_task(TaskId id);

// What a failed attempt leads to (Store::fail's rule, shared by every implementation).
struct FailureOutcome {
  int failures = 0;
  bool retry = false;  // back to queued at run_after; else failed for good
  Time run_after{0};
  std::string detail;  // for the event log
};
FailureOutcome after_failure(const TaskRecord& task, const TaskFailure& failure, Time now);

}  // namespace autoglm::store::rows
