// How every SQL Store keeps run-time API keys (ApiKeyRecord) in its api_keys table: the
// column list, the row reader, the model list's encoding and the checks create_api_key
// makes. SQLite and PostgreSQL share them so both answer alike. Internal to src/store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "store/records.hpp"
#include "store/row_mapping.hpp"

namespace autoglm::store::rows {

// For SELECT ... FROM api_keys, in read_api_key's order.
inline constexpr const char* kApiKeyColumns =
    "id, tenant, key_hash, admin, label, default_class, models, requests_per_second, burst, "
    "max_concurrent, created_ns, revoked_ns";

// The model allow-list as one TEXT column: names joined by '\n' (check_api_key refuses a
// name holding one), "" for none.
std::string join_models(const std::vector<std::string>& models);
std::vector<std::string> split_models(std::string_view joined);

// create_api_key's argument checks (see Store::create_api_key).
core::Status check_api_key(const ApiKeyRecord& key);
// The answers every store words the same.
core::Status api_key_exists(const ApiKeyRecord& key);
core::Status no_api_key(std::string_view id);

// `Row` as in row_mapping.hpp, plus real(col) for the two rate columns.
template <typename Row>
ApiKeyRecord read_api_key(const Row& r) {
  ApiKeyRecord k;
  k.id = r.text(0);
  k.tenant = r.text(1);
  k.key_hash = r.text(2);
  k.admin = r.int64(3) != 0;
  k.label = r.text(4);
  k.default_class = r.text(5);
  k.models = split_models(r.text(6));
  k.requests_per_second = r.real(7);
  k.burst = r.real(8);
  k.max_concurrent = r.int64(9);
  k.created_at = from_ns(r.int64(10));
  k.revoked_at = opt_time(r.opt_int64(11));
  return k;
}

}  // namespace autoglm::store::rows
