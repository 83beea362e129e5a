#include "tenancy/key_ring.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>

namespace autoglm::tenancy {

namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kIdBytes = 8;

std::string base64url(const std::uint8_t* data, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

std::string hex(const std::uint8_t* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

core::Status internal(std::string message) {
  return {core::ErrorCode::kInternal, std::move(message)};
}

}  // namespace

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  authorization = trim(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !iequals(authorization.substr(0, kScheme.size()), kScheme) ||
      (authorization[kScheme.size()] != ' ' && authorization[kScheme.size()] != '\t')) {
    return std::nullopt;
  }
  const std::string_view token = trim(authorization.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

bool KeyRing::openssl_random(std::uint8_t* out, std::size_t n) {
  return RAND_bytes(out, static_cast<int>(n)) == 1;
}

KeyRing::KeyRing(RandomFill fill) : fill_(std::move(fill)) {}

std::uint64_t KeyRing::bucket_of(const KeyHash& hash) {
  std::uint64_t b = 0;
  std::memcpy(&b, hash.data(), sizeof b);
  return b;
}

core::Result<std::string> KeyRing::new_id_locked() const {
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::array<std::uint8_t, kIdBytes> raw{};
    if (!fill_(raw.data(), raw.size()))
      return internal("the random source failed to draw a key id");
    std::string id = "key_" + hex(raw.data(), raw.size());
    if (!by_id_.contains(id)) return id;
  }
  return internal("could not draw an unused key id; the random source repeats itself");
}

std::optional<std::size_t> KeyRing::find_locked(const KeyHash& hash) const {
  auto it = by_hash_.find(bucket_of(hash));
  if (it == by_hash_.end()) return std::nullopt;
  for (std::size_t i : it->second) {
    if (constant_time_equal(records_[i].hash, hash)) return i;
  }
  return std::nullopt;
}

core::Result<KeyInfo> KeyRing::insert_locked(const KeySpec& spec, const KeyHash& hash,
                                             std::string id) {
  if (spec.tenant.empty()) return core::invalid_argument("a key needs a tenant", "tenant");
  if (find_locked(hash)) {
    return core::invalid_argument("this key is already on the key ring (same hash)", "sha256");
  }
  if (id.empty()) {
    auto drawn = new_id_locked();
    if (!drawn) return drawn.status();
    id = std::move(*drawn);
  } else if (by_id_.contains(id)) {
    return core::invalid_argument("key id '" + id + "' is used twice", "id");
  }
  const std::size_t index = records_.size();
  records_.push_back(
      Record{KeyInfo{id, spec.tenant, spec.admin, spec.label, false, spec.scope}, hash});
  by_hash_[bucket_of(hash)].push_back(index);
  by_id_.emplace(id, index);
  return records_.back().info;
}

core::Result<CreatedKey> KeyRing::mint(const KeySpec& spec) const {
  std::array<std::uint8_t, kSecretBytes> raw{};
  if (!fill_(raw.data(), raw.size())) return internal("the random source failed to draw a key");
  std::string secret = std::string(kKeyPrefix) + base64url(raw.data(), raw.size());
  std::fill(raw.begin(), raw.end(), 0);
  std::shared_lock lock(mu_);
  auto id = new_id_locked();
  if (!id) return id.status();
  return CreatedKey{std::move(secret), KeyInfo{std::move(*id), spec.tenant, spec.admin, spec.label,
                                               false, spec.scope}};
}

core::Result<CreatedKey> KeyRing::create(const KeySpec& spec) {
  auto minted = mint(spec);
  if (!minted) return minted.status();
  auto info = add_hashed(spec, sha256(minted->secret), minted->info.id);
  if (!info) return info.status();
  return CreatedKey{std::move(minted->secret), std::move(*info)};
}

core::Result<KeyInfo> KeyRing::add_hashed(const KeySpec& spec, const KeyHash& hash,
                                          std::string id) {
  std::unique_lock lock(mu_);
  return insert_locked(spec, hash, std::move(id));
}

core::Result<KeyInfo> KeyRing::add_secret(const KeySpec& spec, std::string_view secret,
                                          std::string id) {
  if (secret.size() < 16) {
    return core::invalid_argument("an API key must be at least 16 characters long", "key");
  }
  return add_hashed(spec, sha256(secret), std::move(id));
}

std::optional<Principal> KeyRing::authenticate(std::string_view presented) const {
  if (auto token = bearer_token(presented)) presented = *token;
  if (presented.empty()) return std::nullopt;
  const KeyHash hash = sha256(presented);  // outside the lock: the costly part
  std::shared_lock lock(mu_);
  const auto i = find_locked(hash);
  if (!i || records_[*i].info.revoked) return std::nullopt;
  const KeyInfo& info = records_[*i].info;
  return Principal{info.tenant, info.id, info.admin, info.scope};
}

core::Status KeyRing::revoke(std::string_view key_id) {
  std::unique_lock lock(mu_);
  auto it = by_id_.find(key_id);
  if (it == by_id_.end()) {
    return core::not_found("no API key has the id '" + std::string(key_id) + "'", "id");
  }
  records_[it->second].info.revoked = true;
  return core::Status::ok();
}

SyncReport KeyRing::sync(const std::vector<StoredKey>& keys) {
  SyncReport report;
  std::unique_lock lock(mu_);
  for (const StoredKey& key : keys) {
    if (auto it = by_id_.find(key.info.id); it != by_id_.end()) {
      KeyInfo& known = records_[it->second].info;
      if (key.info.revoked && !known.revoked) {
        known.revoked = true;
        ++report.revoked;
      }
      continue;
    }
    if (find_locked(key.hash)) {
      ++report.clashes;
      continue;
    }
    const KeySpec spec{key.info.tenant, key.info.admin, key.info.label, key.info.scope};
    if (!insert_locked(spec, key.hash, key.info.id)) continue;  // an empty tenant: not a key
    records_.back().info.revoked = key.info.revoked;
    ++report.added;
  }
  return report;
}

std::optional<KeyInfo> KeyRing::info(std::string_view key_id) const {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(key_id);
  if (it == by_id_.end()) return std::nullopt;
  return records_[it->second].info;
}

std::vector<KeyInfo> KeyRing::list() const {
  std::shared_lock lock(mu_);
  std::vector<KeyInfo> out;
  out.reserve(by_id_.size());
  for (const auto& [id, index] : by_id_) out.push_back(records_[index].info);
  return out;
}

std::size_t KeyRing::size() const {
  std::shared_lock lock(mu_);
  return records_.size();
}

}  // namespace autoglm::tenancy
