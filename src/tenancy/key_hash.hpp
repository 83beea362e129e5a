// API key hashing: SHA-256 digests (OpenSSL libcrypto), constant-time comparison, hex
// forms for config, and the redaction every log line about a key must go through.
// Threading: pure functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace autoglm::tenancy {

using KeyHash = std::array<std::uint8_t, 32>;

// Every generated key starts with this, so scanners and people recognise a leaked one.
inline constexpr std::string_view kKeyPrefix = "agk_";

KeyHash sha256(std::string_view data);
// Lower-case hex of a digest, and back (64 hex digits, either case; nullopt otherwise).
std::string to_hex(const KeyHash& hash);
std::optional<KeyHash> hash_from_hex(std::string_view hex);
// Compares all 32 bytes whatever differs first (CRYPTO_memcmp).
bool constant_time_equal(const KeyHash& a, const KeyHash& b);

// What a log may show for a presented key (or an Authorization header value): the
// recognisable prefix and the first 8 hex digits of its SHA-256, never the key, e.g.
// "agk_…(sha256:1a2b3c4d)"; "(empty)" for an empty value. "Bearer " is stripped first.
std::string redact_key(std::string_view presented);

}  // namespace autoglm::tenancy
