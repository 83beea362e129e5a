// Database URLs: which store to open and how, from the one `database.url` string.
// Accepts sqlite:///abs/path, sqlite://./relative, sqlite:./x, sqlite::memory:,
// postgresql://..., postgres://... and JDBC's jdbc:postgresql://host:port/db.
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/status.hpp"

namespace autoglm::config {

struct DatabaseTarget {
  DatabaseKind kind = DatabaseKind::kSqlite;
  std::string sqlite_path;        // kSqlite: a file path, or ":memory:"
  std::string postgres_conninfo;  // kPostgres: a libpq URI (jdbc: prefix removed)
};

// sqlite:///./x and sqlite:///../x are read as relative paths (./x, ../x), so the
// default URL sqlite:///./data/autoglm.db names ./data/autoglm.db.
core::Result<DatabaseTarget> parse_database_url(std::string_view url);

// `url` with any password replaced by "******": the password in user:password@ and a
// password=... query parameter.
std::string mask_database_url(std::string_view url);

}  // namespace autoglm::config
