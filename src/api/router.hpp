// Routes of the gateway's HTTP API: a method and a path pattern ("/v1/tasks/{id}") to a
// handler. Matching is pure string work; a path known under another method answers 405.
#pragma once

#include <boost/container/small_vector.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autoglm::api {

// Values of the {name} segments of a matched pattern.
using PathParams = std::map<std::string, std::string, std::less<>>;

// `Handler` is whatever the caller runs for a route (the gateway uses a coroutine).
// Built once at start-up, then read-only: safe to match from any thread.
template <typename Handler>
class Router {
 public:
  // `pattern` is a path of literal segments and {name} segments, e.g. "/v1/tasks/{id}".
  // A last segment {name...} takes the rest of the path, zero or more segments, joined
  // with '/' (e.g. "/ui/{path...}" for static files); empty segments are dropped.
  void add(std::string method, std::string pattern, Handler handler) {
    routes_.push_back(Route{std::move(method), split(pattern), std::move(handler)});
  }

  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    PathParams params;
    std::vector<std::string> allowed;  // methods the path has, when handler is null
  };

  // The route for `method` and `path`; when none, `allowed` lists the methods the path
  // does have (empty: the path is unknown, a 404).
  Match match(std::string_view method, std::string_view path) const {
    Match out;
    const PathSegments segments = split(path);
    for (const Route& route : routes_) {
      PathParams params;
      if (!matches(route.segments, segments, params)) continue;
      if (route.method == method) {
        out.handler = &route.handler;
        out.params = std::move(params);
        out.allowed.clear();
        return out;
      }
      out.allowed.push_back(route.method);
    }
    return out;
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };

  // A request's path, split without allocating: matched on every request.
  using PathSegments = boost::container::small_vector<std::string_view, 8>;

  template <typename Segments>
  static Segments split_as(std::string_view path) {
    Segments out;
    std::size_t start = 0;
    while (start < path.size()) {
      if (path[start] == '/') {
        ++start;
        continue;
      }
      std::size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      out.emplace_back(path.substr(start, end - start));
      start = end;
    }
    return out;
  }
  static std::vector<std::string> split(const std::string& p) {
    return split_as<std::vector<std::string>>(p);
  }
  static PathSegments split(std::string_view p) { return split_as<PathSegments>(p); }

  static bool is_rest(const std::string& p) {
    return p.size() > 5 && p.front() == '{' && p.ends_with("...}");
  }

  static bool matches(const std::vector<std::string>& pattern, const PathSegments& path,
                      PathParams& params) {
    const bool rest = !pattern.empty() && is_rest(pattern.back());
    const std::size_t fixed = rest ? pattern.size() - 1 : pattern.size();
    if (rest ? path.size() < fixed : path.size() != fixed) return false;
    for (std::size_t i = 0; i < fixed; ++i) {
      const std::string& p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params.emplace(p.substr(1, p.size() - 2), std::string(path[i]));
      } else if (p != path[i]) {
        return false;
      }
    }
    if (rest) {
      std::string joined;
      for (std::size_t i = fixed; i < path.size(); ++i) {
        if (i > fixed) joined += '/';
        joined += path[i];
      }
      params.emplace(pattern.back().substr(1, pattern.back().size() - 5), std::move(joined));
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace autoglm::api
