#include "cache/cache_policy.hpp"

#include <algorithm>
#include <cctype>

namespace autoglm::cache {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_zero_number(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64() == 0;
  if (v.is_uint64()) return v.get_uint64() == 0;
  if (v.is_double()) return v.get_double() == 0.0;
  return false;
}

}  // namespace

CacheControl parse_cache_control(std::string_view header) {
  CacheControl cc;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string_view directive = trim(header.substr(0, comma));
    if (iequals(directive, "no-cache")) cc.no_cache = true;
    if (iequals(directive, "no-store")) cc.no_cache = cc.no_store = true;
    if (iequals(directive, "max-age=0")) cc.no_cache = true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return cc;
}

bool cache_bypassed(std::string_view cache_control) {
  return parse_cache_control(cache_control).no_cache;
}

CachePlan plan_cache(const boost::json::object& body, const CacheHeaders& headers) {
  const std::string_view opt = trim(headers.opt_in);
  if (opt == "0") return {false, false, "opted out"};
  bool deterministic = opt == "1";
  if (!deterministic) {
    const auto* t = body.if_contains("temperature");
    deterministic = t && is_zero_number(*t);
  }
  if (!deterministic) return {false, false, "not deterministic"};
  const CacheControl cc = parse_cache_control(headers.cache_control);
  if (cc.no_store) return {false, false, "bypassed"};
  if (cc.no_cache) return {false, true, "bypassed"};
  return {true, true, "cacheable"};
}

}  // namespace autoglm::cache
