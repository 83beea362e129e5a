// SqliteStore: run-time API keys.
#include "store/api_key_rows.hpp"
#include "store/sqlite_group_commit.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_store.hpp"

namespace autoglm::store {

using sqlite::guarded;
using sqlite::ns;
using sqlite::opt_ns;

Status SqliteStore::create_api_key(const ApiKeyRecord& k) {
  if (auto valid = rows::check_api_key(k); !valid) return valid;
  return commit_->write([&]() -> Status {
    auto& q = db_->prepare("SELECT 1 FROM api_keys WHERE id = ? OR key_hash = ?");
    q.bind(1, k.id).bind(2, k.key_hash);
    const bool taken = q.step();
    q.reset();
    if (taken) return rows::api_key_exists(k);
    db_->prepare(
           "INSERT INTO api_keys(id, tenant, key_hash, admin, label, default_class, models, "
           "requests_per_second, burst, max_concurrent, created_ns, revoked_ns) "
           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, k.id)
        .bind(2, k.tenant)
        .bind(3, k.key_hash)
        .bind(4, k.admin ? 1 : 0)
        .bind(5, k.label)
        .bind(6, k.default_class)
        .bind(7, rows::join_models(k.models))
        .bind(8, k.requests_per_second)
        .bind(9, k.burst)
        .bind(10, k.max_concurrent)
        .bind(11, ns(k.created_at))
        .bind(12, opt_ns(k.revoked_at))
        .run();
    return Status::ok();
  });
}

Result<ApiKeyRecord> SqliteStore::revoke_api_key(std::string_view id, Time now) {
  return commit_->write([&]() -> Result<ApiKeyRecord> {
    db_->prepare("UPDATE api_keys SET revoked_ns = COALESCE(revoked_ns, ?) WHERE id = ?")
        .bind(1, ns(now))
        .bind(2, id)
        .run();
    auto& q =
        db_->prepare(std::string("SELECT ") + rows::kApiKeyColumns + " FROM api_keys WHERE id = ?");
    q.bind(1, id);
    std::optional<ApiKeyRecord> out;
    if (q.step()) out = rows::read_api_key(q);
    q.reset();
    if (!out) return rows::no_api_key(id);
    return std::move(*out);
  });
}

Result<std::vector<ApiKeyRecord>> SqliteStore::list_api_keys() {
  return guarded(mu_, [&]() -> Result<std::vector<ApiKeyRecord>> {
    auto& q =
        db_->prepare(std::string("SELECT ") + rows::kApiKeyColumns + " FROM api_keys ORDER BY id");
    std::vector<ApiKeyRecord> out;
    while (q.step()) out.push_back(rows::read_api_key(q));
    q.reset();
    return out;
  });
}

}  // namespace autoglm::store
