#include "tenancy/key_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace autoglm::tenancy {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

KeyHash sha256(std::string_view data) {
  KeyHash out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size()) {
    throw std::runtime_error("OpenSSL SHA-256 failed");  // libcrypto is broken: a start-up bug
  }
  return out;
}

std::string to_hex(const KeyHash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(hash.size() * 2);
  for (std::uint8_t b : hash) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

std::optional<KeyHash> hash_from_hex(std::string_view hex) {
  KeyHash out{};
  if (hex.size() != out.size() * 2) return std::nullopt;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

bool constant_time_equal(const KeyHash& a, const KeyHash& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string redact_key(std::string_view presented) {
  constexpr std::string_view kBearer = "Bearer ";
  if (presented.substr(0, kBearer.size()) == kBearer) presented.remove_prefix(kBearer.size());
  if (presented.empty()) return "(empty)";
  const std::string prefix =
      presented.substr(0, kKeyPrefix.size()) == kKeyPrefix ? std::string(kKeyPrefix) : "";
  return prefix + "\xE2\x80\xA6(sha256:" + to_hex(sha256(presented)).substr(0, 8) + ")";
}

}  // namespace autoglm::tenancy
