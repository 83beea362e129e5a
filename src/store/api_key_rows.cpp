#include "store/api_key_rows.hpp"

#include <algorithm>

namespace autoglm::store::rows {

std::string join_models(const std::vector<std::string>& models) {
  std::string out;
  for (const auto& m : models) out += (out.empty() ? "" : "\n") + m;
  return out;
}

std::vector<std::string> split_models(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    const auto end = joined.find('\n');
    out.emplace_back(joined.substr(0, end));
    if (end == std::string_view::npos) break;
    joined.remove_prefix(end + 1);
  }
  return out;
}

core::Status check_api_key(const ApiKeyRecord& key) {
  if (key.id.empty()) return core::invalid_argument("an API key needs an id", "id");
  if (key.tenant.empty()) return core::invalid_argument("an API key needs a tenant", "tenant");
  const bool hex = std::all_of(key.key_hash.begin(), key.key_hash.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (key.key_hash.size() != 64 || !hex) {
    return core::invalid_argument("key_hash must be 64 lower-case hex digits (a SHA-256)",
                                  "key_hash");
  }
  for (const auto& m : key.models) {
    if (m.empty() || m.find('\n') != std::string::npos) {
      return core::invalid_argument("a model name is empty or holds a line break", "models");
    }
  }
  return core::Status::ok();
}

core::Status api_key_exists(const ApiKeyRecord& key) {
  return {core::ErrorCode::kConflict,
          "an API key with id '" + key.id + "' or the same secret is already stored"};
}

core::Status no_api_key(std::string_view id) {
  return core::not_found("no stored API key has the id '" + std::string(id) + "'", "id");
}

}  // namespace autoglm::store::rows
