// SqliteStore's row helpers: the shared row mapping (row_mapping.hpp) and the
// SqliteError → Status translation. Internal to src/store; single-threaded helpers.
#pragma once

#include <mutex>
#include <string>

#include "core/status.hpp"
#include "store/records.hpp"
#include "store/row_mapping.hpp"
#include "store/sqlite_db.hpp"

namespace autoglm::store::sqlite {

using rows::from_ns;
using rows::kDagRunColumns;
using rows::kTaskColumns;
using rows::kTriggerColumns;
using rows::ns;
using rows::opt_ns;
using rows::opt_time;
using rows::read_dag_run;
using rows::read_task;
using rows::read_trigger;

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
