#include "config/database_url.hpp"
#include "store/pg_store.hpp"
#include "store/sqlite_store.hpp"

namespace autoglm::store {

Result<std::unique_ptr<Store>> open_store(std::string_view url, std::string_view user,
                                          std::string_view password) {
  auto target = config::parse_database_url(url);
  if (!target) return target.status();
  if (target->kind == config::DatabaseKind::kPostgres) {
    PostgresOptions options;
    options.user = user;
    options.password = password;
    auto opened = PostgresStore::open(target->postgres_conninfo, options);
    if (!opened) return opened.status();
    return std::unique_ptr<Store>(std::move(opened).value());
  }
  auto opened = SqliteStore::open(target->sqlite_path);
  if (!opened) return opened.status();
  return std::unique_ptr<Store>(std::move(opened).value());
}

}  // namespace autoglm::store
