// When the response cache may be used for a request: only deterministic requests
// (temperature 0, or the client's explicit opt-in), and never when the client asks for a
// fresh answer with Cache-Control. Pure functions; no state.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

namespace autoglm::cache {

struct CacheControl {
  bool no_cache = false;  // do not answer from the cache (a fresh answer may be stored)
  bool no_store = false;  // do not store this answer
};

// Directives of a Cache-Control request header, case-insensitive, comma-separated;
// unknown directives are ignored.
CacheControl parse_cache_control(std::string_view header);

// True when the request asks to bypass the cache for reading: "no-cache", "no-store" or
// "max-age=0" in Cache-Control.
bool cache_bypassed(std::string_view cache_control);

struct CacheHeaders {
  std::string_view cache_control;  // Cache-Control
  std::string_view opt_in;         // x-autoglm-cache: "1" opts in, "0" opts out
};

struct CachePlan {
  bool lookup = false;  // answer from the cache on a hit
  bool store = false;   // store the complete answer
  std::string_view why;  // for logs and the x-autoglm-cache-status header
};

// Deterministic when x-autoglm-cache is "1", or "temperature" is the number 0 and the
// header is not "0". Then lookup unless Cache-Control bypasses it, and store unless it
// says no-store.
CachePlan plan_cache(const boost::json::object& body, const CacheHeaders& headers);

}  // namespace autoglm::cache
