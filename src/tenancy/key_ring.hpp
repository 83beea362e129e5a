// The API key ring: keys stored only as SHA-256 hashes, each bound to a tenant, an admin flag
// and a scope (key_scope.hpp). Authentication hashes the presented key and compares digests
// in constant time.
// Threading: every method is thread-safe. authenticate() (the hot path) takes a shared
// lock; create/add/revoke take it exclusively and are rare.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.hpp"
#include "tenancy/key_hash.hpp"
#include "tenancy/key_scope.hpp"

namespace autoglm::tenancy {

struct KeySpec {
  std::string tenant;
  bool admin = false;  // may call /admin/v1/* routes
  std::string label;   // for people: "ci", "alice's laptop"
  KeyScope scope{};    // keys from the configuration file narrow nothing
};

// What may be shown about a key: never the key nor its hash.
struct KeyInfo {
  std::string id;  // "key_" + 16 hex digits; names the key in the admin API and in logs
  std::string tenant;
  bool admin = false;
  std::string label;
  bool revoked = false;
  KeyScope scope{};
};

// Who a request authenticated as.
struct Principal {
  std::string tenant;
  std::string key_id;
  bool admin = false;
  KeyScope scope{};
};

// The one place a key is ever returned: the caller shows `secret` once and forgets it.
struct CreatedKey {
  std::string secret;  // "agk_" + 43 characters of base64url (32 random bytes)
  KeyInfo info;
};

// A key as a store keeps it: what may be shown, and the hash that authenticates it.
struct StoredKey {
  KeyInfo info;
  KeyHash hash;
};

// What KeyRing::sync changed.
struct SyncReport {
  std::size_t added = 0;    // keys the ring did not know
  std::size_t revoked = 0;  // known keys revoked since
  std::size_t clashes = 0;  // skipped: the same hash under another id
};

// The token of an "Authorization: Bearer <token>" value (scheme case-insensitive, spaces
// trimmed); nullopt when the value is not a bearer credential.
std::optional<std::string_view> bearer_token(std::string_view authorization);

class KeyRing {
 public:
  // Fills n bytes with cryptographically strong randomness; false on failure.
  using RandomFill = std::function<bool(std::uint8_t* out, std::size_t n)>;
  static bool openssl_random(std::uint8_t* out, std::size_t n);  // RAND_bytes

  explicit KeyRing(RandomFill fill = &KeyRing::openssl_random);

  // A fresh random key for spec.tenant. kInternal when the random source fails.
  core::Result<CreatedKey> create(const KeySpec& spec);
  // A fresh random key and an id unused on this ring, not yet added: the caller records
  // it elsewhere first (the store) and then adds it with add_hashed(spec, sha256(secret), id).
  core::Result<CreatedKey> mint(const KeySpec& spec) const;
  // A key known only by its hash (config: `sha256: <64 hex>`). `id` may be given to keep
  // key ids stable across reloads; "" draws one. Fails on a repeated hash or id.
  core::Result<KeyInfo> add_hashed(const KeySpec& spec, const KeyHash& hash, std::string id = {});
  // A key given in clear (config with ${ENV}); it is hashed at once and not kept.
  core::Result<KeyInfo> add_secret(const KeySpec& spec, std::string_view secret,
                                   std::string id = {});
  // The principal of a presented key (raw token or "Bearer <token>"); nullopt when unknown
  // or revoked.
  std::optional<Principal> authenticate(std::string_view presented) const;
  // kNotFound when no key has this id. Revoking twice is fine.
  core::Status revoke(std::string_view key_id);

  // Brings the ring up to `keys` (a store's full list): adds the keys it does not know
  // by id and revokes those revoked there. Revocation is one-way: a stored key that is not
  // revoked never revives one revoked here. Keys absent from `keys` are left alone.
  SyncReport sync(const std::vector<StoredKey>& keys);

  std::optional<KeyInfo> info(std::string_view key_id) const;
  std::vector<KeyInfo> list() const;  // sorted by id, revoked keys included
  std::size_t size() const;

 private:
  struct Record {
    KeyInfo info;
    KeyHash hash;
  };
  static std::uint64_t bucket_of(const KeyHash& hash);
  core::Result<std::string> new_id_locked() const;
  core::Result<KeyInfo> insert_locked(const KeySpec& spec, const KeyHash& hash, std::string id);
  std::optional<std::size_t> find_locked(const KeyHash& hash) const;

  RandomFill fill_;
  mutable std::shared_mutex mu_;
  std::vector<Record> records_;                                          // guarded by mu_
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_hash_;  // first 8 bytes
  std::map<std::string, std::size_t, std::less<>> by_id_;
};

}  // namespace autoglm::tenancy
