// The response cache's key: tenant, route and a canonical form of the request body, so
// that requests asking the same question share an answer and tenants never share one.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace autoglm::cache {

// Canonical JSON: object keys sorted (bytewise), no whitespace, integral doubles within
// 2^53 written as integers (0.0 and 0 are the same), other doubles in their shortest
// round-trip form (std::to_chars), strings re-escaped by Boost.JSON.
std::string canonical_json(const boost::json::value& v);

// The body with everything removed that does not change the answer: "stream",
// "stream_options", "user", "priority", "latency" (scheduling hints), and "n" when it is 1
// (the default); "n" > 1 stays because it changes the answer's shape. Then canonical.
std::string normalised_request(const boost::json::object& body);

struct CacheKey {
  std::string digest;  // hex SHA-256 of tenant, route and normalised request
  std::string tenant;
  std::string model;
};

// REQUIRES: body is a parsed request of `route` ("/v1/chat/completions", ...).
CacheKey make_cache_key(std::string_view tenant, std::string_view route,
                        const boost::json::object& body);

}  // namespace autoglm::cache
