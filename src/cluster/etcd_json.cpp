#include "cluster/etcd_json.hpp"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

namespace autoglm::cluster {

namespace json = boost::json;

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_index(char c) {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

core::Status malformed(std::string_view what) {
  return {core::ErrorCode::kInternal, "etcd answered something that is not " + std::string(what) +
                                          " (is the endpoint an etcd 3.4+ client URL?)"};
}

// int64 fields come as JSON strings ("42"); accept plain numbers too. Absent means 0.
std::int64_t int64_field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (!v->is_string()) return 0;
  const json::string& s = v->as_string();
  std::int64_t out = 0;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return out;
}

std::string bytes_field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return {};
  return base64_decode(v->as_string()).value_or(std::string());
}

const json::object* object_field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

std::optional<json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::int64_t header_revision(const json::object& o) {
  const json::object* header = object_field(o, "header");
  return header != nullptr ? int64_field(*header, "revision") : 0;
}

KeyValue key_value(const json::object& o) {
  KeyValue kv;
  kv.key = bytes_field(o, "key");
  kv.value = bytes_field(o, "value");
  kv.create_revision = int64_field(o, "create_revision");
  kv.mod_revision = int64_field(o, "mod_revision");
  kv.lease = int64_field(o, "lease");
  return kv;
}

RangeResult range_result(const json::object& o) {
  RangeResult result;
  result.revision = header_revision(o);
  if (const json::value* kvs = o.if_contains("kvs"); kvs != nullptr && kvs->is_array()) {
    for (const json::value& item : kvs->as_array()) {
      if (item.is_object()) result.kvs.push_back(key_value(item.as_object()));
    }
  }
  return result;
}

std::string int64_text(std::int64_t v) { return std::to_string(v); }

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::array<int, 4> d{};
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + j];
      const bool last_group = i + 4 == text.size();
      if (c == '=' && last_group && j >= 2) {
        ++pad;
        d[j] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      d[j] = base64_index(c);
      if (d[j] < 0) return std::nullopt;
    }
    const unsigned n = (d[0] << 18) | (d[1] << 12) | (d[2] << 6) | d[3];
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

std::string prefix_range_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<unsigned char>(end.back()) < 0xff) {
      end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // etcd: "\0" as range_end means every key >= key
}

std::string lease_hex(std::int64_t lease_id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx",
                static_cast<unsigned long long>(static_cast<std::uint64_t>(lease_id)));
  return buf;
}

std::string range_body(const RangeRequest& request) {
  json::object o;
  o["key"] = base64_encode(request.key);
  if (!request.range_end.empty()) o["range_end"] = base64_encode(request.range_end);
  if (request.limit > 0) o["limit"] = int64_text(request.limit);
  if (request.sort_order != SortOrder::kNone) {
    o["sort_order"] = request.sort_order == SortOrder::kAscend ? "ASCEND" : "DESCEND";
    o["sort_target"] = request.sort_target == SortTarget::kCreate ? "CREATE" : "KEY";
  }
  if (request.max_create_revision > 0) {
    o["max_create_revision"] = int64_text(request.max_create_revision);
  }
  if (request.keys_only) o["keys_only"] = true;
  return json::serialize(o);
}

namespace {

json::object put_object(std::string_view key, std::string_view value, std::int64_t lease) {
  json::object o;
  o["key"] = base64_encode(key);
  o["value"] = base64_encode(value);
  if (lease != 0) o["lease"] = int64_text(lease);
  return o;
}

}  // namespace

std::string put_body(std::string_view key, std::string_view value, std::int64_t lease) {
  return json::serialize(put_object(key, value, lease));
}

std::string delete_body(std::string_view key, std::string_view range_end) {
  json::object o;
  o["key"] = base64_encode(key);
  if (!range_end.empty()) o["range_end"] = base64_encode(range_end);
  return json::serialize(o);
}

std::string create_if_absent_body(std::string_view key, std::string_view value,
                                  std::int64_t lease) {
  json::object compare;
  compare["target"] = "CREATE";
  compare["key"] = base64_encode(key);
  compare["create_revision"] = "0";
  compare["result"] = "EQUAL";
  json::object put;
  put["request_put"] = put_object(key, value, lease);
  json::object range;
  json::object range_request;
  range_request["key"] = base64_encode(key);
  range["request_range"] = std::move(range_request);
  json::object txn;
  txn["compare"] = json::array{std::move(compare)};
  txn["success"] = json::array{std::move(put)};
  txn["failure"] = json::array{std::move(range)};
  return json::serialize(txn);
}

std::string lease_grant_body(std::int64_t ttl_s) {
  json::object o;
  o["TTL"] = int64_text(ttl_s);
  return json::serialize(o);
}

std::string lease_id_body(std::int64_t lease) {
  json::object o;
  o["ID"] = int64_text(lease);
  return json::serialize(o);
}

core::Result<RangeResult> parse_range(std::string_view body) {
  auto o = parse_object(body);
  if (!o || object_field(*o, "header") == nullptr) return malformed("a range answer");
  return range_result(*o);
}

core::Result<CreateResult> parse_create_if_absent(std::string_view body) {
  auto o = parse_object(body);
  if (!o || object_field(*o, "header") == nullptr) return malformed("a txn answer");
  CreateResult result;
  result.revision = header_revision(*o);
  const json::value* succeeded = o->if_contains("succeeded");
  result.created = succeeded != nullptr && succeeded->is_bool() && succeeded->as_bool();
  if (result.created) return result;
  const json::value* responses = o->if_contains("responses");
  if (responses != nullptr && responses->is_array() && !responses->as_array().empty() &&
      responses->as_array()[0].is_object()) {
    if (const json::object* range =
            object_field(responses->as_array()[0].as_object(), "response_range")) {
      RangeResult found = range_result(*range);
      if (!found.kvs.empty()) result.existing = std::move(found.kvs.front());
    }
  }
  // Not created and not found: deleted between compare and read cannot happen inside one
  // txn, so this is an answer we do not understand.
  if (!result.existing) return malformed("a create-if-absent txn answer");
  return result;
}

core::Result<LeaseGrant> parse_lease_grant(std::string_view body) {
  auto o = parse_object(body);
  if (!o) return malformed("a lease grant answer");
  LeaseGrant grant{int64_field(*o, "ID"), int64_field(*o, "TTL")};
  if (grant.id == 0 || grant.ttl_s <= 0) return malformed("a lease grant answer");
  return grant;
}

core::Result<std::int64_t> parse_keepalive_ttl(std::string_view body) {
  auto o = parse_object(body);
  if (!o) return malformed("a keepalive answer");
  const json::object* result = object_field(*o, "result");
  if (result == nullptr) return malformed("a keepalive answer");
  return int64_field(*result, "TTL");
}

core::Result<std::int64_t> parse_header_revision(std::string_view body) {
  auto o = parse_object(body);
  if (!o || object_field(*o, "header") == nullptr) return malformed("an etcd answer");
  return header_revision(*o);
}

core::Status error_status(unsigned http_status, std::string_view body) {
  std::string message = "HTTP " + std::to_string(http_status);
  std::int64_t code = -1;
  if (auto o = parse_object(body)) {
    if (const json::value* m = o->if_contains("message"); m != nullptr && m->is_string()) {
      message = std::string(m->as_string());
    }
    code = int64_field(*o, "code");
  }
  core::ErrorCode mapped = core::ErrorCode::kUpstreamFailure;
  if (code == 5) mapped = core::ErrorCode::kNotFound;
  if (code == 14) mapped = core::ErrorCode::kUnavailable;
  if (code == 4) mapped = core::ErrorCode::kTimeout;
  return {mapped, "etcd: " + message};
}

}  // namespace autoglm::cluster
