// Row mapping shared by SqliteStore's source files: column lists, record readers and the
// SqliteError → Status translation. Internal to src/store; single-threaded helpers.
#pragma once

#include <mutex>
#include <string>

#include "core/status.hpp"
#include "store/records.hpp"
#include "store/sqlite_db.hpp"

namespace autoglm::store::sqlite {

extern const char* const kTaskColumns;     // for SELECT ... FROM tasks, in read_task order
extern const char* const kDagRunColumns;   // for SELECT ... FROM dag_runs
extern const char* const kTriggerColumns;  // for SELECT ... FROM triggers

TaskRecord read_task(const Statement& row);
DagRunRecord read_dag_run(const Statement& row);
TriggerRecord read_trigger(const Statement& row);

inline std::int64_t ns(Time t) { return t.count(); }
inline Time from_ns(std::int64_t v) { return Time{v}; }
std::optional<std::int64_t> opt_ns(const std::optional<Time>& t);
std::optional<Time> opt_time(const std::optional<std::int64_t>& v);

core::Status to_status(const SqliteError& e);

// Runs `body` holding `mu`, turning a SqliteError into the Status the Store reports.
template <typename Body>
auto guarded(std::mutex& mu, Body&& body) -> decltype(body()) {
  std::lock_guard lock(mu);
  try {
    return body();
  } catch (const SqliteError& e) {
    return to_status(e);
  }
}

}  // namespace autoglm::store::sqlite
