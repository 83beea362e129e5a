#include "config/database_url.hpp"
#include "store/sqlite_store.hpp"

namespace autoglm::store {

Result<std::unique_ptr<Store>> open_store(std::string_view url) {
  auto target = config::parse_database_url(url);
  if (!target) return target.status();
  if (target->kind != config::DatabaseKind::kSqlite) {
    return core::unavailable(
        "database.url names PostgreSQL, which this build cannot open yet; use "
        "sqlite:///path/to/autoglm.db");
  }
  auto opened = SqliteStore::open(target->sqlite_path);
  if (!opened) return opened.status();
  return std::unique_ptr<Store>(std::move(opened).value());
}

}  // namespace autoglm::store
