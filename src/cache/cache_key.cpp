#include "cache/cache_key.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <boost/json/serialize.hpp>

namespace autoglm::cache {

namespace {

void write(const boost::json::value& v, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      const auto& obj = v.get_object();
      std::vector<const boost::json::key_value_pair*> fields;
      fields.reserve(obj.size());
      for (const auto& kv : obj) fields.push_back(&kv);
      std::sort(fields.begin(), fields.end(),
                [](const auto* a, const auto* b) { return a->key() < b->key(); });
      out.push_back('{');
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(',');
        out += boost::json::serialize(boost::json::value(fields[i]->key()));
        out.push_back(':');
        write(fields[i]->value(), out);
      }
      out.push_back('}');
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        write(e, out);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0) {
        out += std::to_string(static_cast<long long>(d));
        return;
      }
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
      out.append(buf, r.ptr);
      return;
    }
    default:
      out += boost::json::serialize(v);
  }
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");  // broken libcrypto: a start-up bug
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 0xf]);
  }
  return out;
}

bool is_one(const boost::json::value& v) {
  return (v.is_int64() && v.get_int64() == 1) || (v.is_uint64() && v.get_uint64() == 1) ||
         (v.is_double() && v.get_double() == 1.0);
}

}  // namespace

std::string canonical_json(const boost::json::value& v) {
  std::string out;
  write(v, out);
  return out;
}

std::string normalised_request(const boost::json::object& body) {
  boost::json::object copy = body;
  for (const char* field : {"stream", "stream_options", "user", "priority", "latency"}) {
    copy.erase(field);
  }
  if (const auto* n = copy.if_contains("n"); n && is_one(*n)) copy.erase("n");
  return canonical_json(copy);
}

CacheKey make_cache_key(std::string_view tenant, std::string_view route,
                        const boost::json::object& body) {
  CacheKey key;
  key.tenant = std::string(tenant);
  if (const auto* m = body.if_contains("model"); m && m->is_string()) {
    key.model = std::string(m->get_string());
  }
  // Length-prefixed parts: no tenant/route pair can be spelled as another.
  std::string material;
  for (std::string_view part : {tenant, route}) {
    material += std::to_string(part.size());
    material.push_back(':');
    material += part;
  }
  material += normalised_request(body);
  key.digest = sha256_hex(material);
  return key;
}

}  // namespace autoglm::cache
