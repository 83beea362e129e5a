#include "store/sqlite_rows.hpp"

#include <sqlite3.h>

namespace autoglm::store::sqlite {

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
