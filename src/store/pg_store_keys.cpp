// PostgresStore: run-time API keys, shared by every replica on the database.
#include "store/api_key_rows.hpp"
#include "store/pg_tx.hpp"

namespace autoglm::store {

using rows::ns;
using rows::opt_ns;

Status PostgresStore::create_api_key(const ApiKeyRecord& k) {
  if (auto valid = rows::check_api_key(k); !valid) return valid;
  return transact([&](Tx& tx) -> Status {
    // DO NOTHING on either unique column: a clash is an answer, not an aborted transaction.
    auto r = tx.exec(
        "INSERT INTO api_keys(id, tenant, key_hash, admin, label, default_class, models, "
        "requests_per_second, burst, max_concurrent, created_ns, revoked_ns) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING "
        "RETURNING id",
        pg::Params()
            .add(k.id)
            .add(k.tenant)
            .add(k.key_hash)
            .add(k.admin ? "true" : "false")
            .add(k.label)
            .add(k.default_class)
            .add(rows::join_models(k.models))
            .add(k.requests_per_second)
            .add(k.burst)
            .add(k.max_concurrent)
            .add(ns(k.created_at))
            .add(opt_ns(k.revoked_at)));
    if (r.empty()) return rows::api_key_exists(k);
    return Status::ok();
  });
}

Result<ApiKeyRecord> PostgresStore::revoke_api_key(std::string_view id, Time now) {
  return transact([&](Tx& tx) -> Result<ApiKeyRecord> {
    auto r = tx.exec(std::string("UPDATE api_keys SET revoked_ns = COALESCE(revoked_ns, $1) "
                                 "WHERE id = $2 RETURNING ") +
                         rows::kApiKeyColumns,
                     pg::Params().add(ns(now)).add(id));
    if (r.empty()) return rows::no_api_key(id);
    return rows::read_api_key(r[0]);
  });
}

Result<std::vector<ApiKeyRecord>> PostgresStore::list_api_keys() {
  return transact([&](Tx& tx) -> Result<std::vector<ApiKeyRecord>> {
    auto r = tx.exec(std::string("SELECT ") + rows::kApiKeyColumns + " FROM api_keys ORDER BY id");
    std::vector<ApiKeyRecord> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(rows::read_api_key(r[i]));
    return out;
  });
}

}  // namespace autoglm::store
