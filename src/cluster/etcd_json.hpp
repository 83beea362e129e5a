// The wire format of etcd v3's JSON gateway (grpc-gateway, etcd 3.4+, paths /v3/...):
// request bodies built and response bodies read as plain data. Keys and values travel
// base64-encoded, int64 fields as JSON strings, and fields equal to their default (0,
// false, empty) are left out of answers. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::cluster {

std::string base64_encode(std::string_view bytes);
// Standard alphabet with '=' padding, as etcd writes it; nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);

// The range_end that selects every key starting with `prefix` (etcd's WithPrefix).
std::string prefix_range_end(std::string_view prefix);

// A lease id as etcd's tools print it, lower-case hex without 0x ("694d77aa9e38260f").
std::string lease_hex(std::int64_t lease_id);

struct KeyValue {
  std::string key;
  std::string value;
  std::int64_t create_revision = 0;
  std::int64_t mod_revision = 0;
  std::int64_t lease = 0;  // 0: not under a lease
};

enum class SortTarget { kKey, kCreate };
enum class SortOrder { kNone, kAscend, kDescend };

struct RangeRequest {
  std::string key;
  std::string range_end;   // "": just `key`
  std::int64_t limit = 0;  // 0: no limit
  SortTarget sort_target = SortTarget::kKey;
  SortOrder sort_order = SortOrder::kNone;
  std::int64_t max_create_revision = 0;  // 0: no bound
  bool keys_only = false;
};

struct RangeResult {
  std::int64_t revision = 0;  // the store's revision when it answered
  std::vector<KeyValue> kvs;
};

// What a create-if-absent transaction found: either it created the key, or the key
// already existed and `existing` is its current value.
struct CreateResult {
  bool created = false;
  std::int64_t revision = 0;  // the store's revision after the transaction
  std::optional<KeyValue> existing;
};

struct LeaseGrant {
  std::int64_t id = 0;
  std::int64_t ttl_s = 0;
};

std::string range_body(const RangeRequest& request);
std::string put_body(std::string_view key, std::string_view value, std::int64_t lease);
std::string delete_body(std::string_view key, std::string_view range_end);
// A txn that puts `key` under `lease` only if it does not exist (create_revision == 0),
// and otherwise reads it: the first step of etcd's election recipe.
std::string create_if_absent_body(std::string_view key, std::string_view value, std::int64_t lease);
std::string lease_grant_body(std::int64_t ttl_s);
std::string lease_id_body(std::int64_t lease);  // keepalive, revoke, timetolive

// Readers of 200 answers; kInternal when the body is not what etcd sends.
core::Result<RangeResult> parse_range(std::string_view body);
core::Result<CreateResult> parse_create_if_absent(std::string_view body);
core::Result<LeaseGrant> parse_lease_grant(std::string_view body);
// The TTL left after a keepalive; 0 means etcd no longer knows the lease (it expired or
// was revoked).
core::Result<std::int64_t> parse_keepalive_ttl(std::string_view body);
// The store's revision from any answer's header.
core::Result<std::int64_t> parse_header_revision(std::string_view body);

// An error answer ({"error","message","code"} with a gRPC code) as a Status.
// Code 5 (NotFound, e.g. "requested lease not found") maps to kNotFound, 14 (Unavailable)
// to kUnavailable, 4 (DeadlineExceeded) to kTimeout, the rest to kUpstreamFailure.
core::Status error_status(unsigned http_status, std::string_view body);

}  // namespace autoglm::cluster
