// SQLite schema migrations for SqliteStore: an ordered list of steps recorded in a
// schema_version table and applied at open. Re-running is a no-op. Single-threaded use.
#pragma once

#include "store/sqlite_db.hpp"

namespace autoglm::store::sqlite {

// The newest schema version this build knows.
int latest_schema_version();

// Applies every migration newer than the database's version, each in its own
// transaction, and returns the resulting version. Throws SqliteError on failure, and
// when the database is newer than this build (refusing to run an old binary on it).
int migrate(Connection& db, std::int64_t now_ns);

}  // namespace autoglm::store::sqlite
