// A small HTTP/1.1 client on Boost.Beast and C++20 coroutines: one connection per call,
// a total deadline covering resolve, connect, send and receive. Used by the agent (register,
// heartbeat, backend scrape) and the gateway (metric scrapes, active health checks).
// Heavy header: include it only from the .cpp files of front-end modules.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace autoglm::http {

// The parts of an http:// URL a request needs. https is not supported (expected: the
// gateway talks to nodes on a private network).
struct Url {
  std::string host;
  std::string port;    // "80" when the URL has none
  std::string target;  // path and query, "/" when empty
};

// Parses http://host[:port][/path][?query]; IPv6 literals in brackets are accepted.
core::Result<Url> parse_url(std::string_view url);

// `base` + `path` with exactly one '/' between them ("http://a:1/" + "/v1/models").
std::string join_url(std::string_view base, std::string_view path);

struct ClientRequest {
  std::string method = "GET";
  std::string url{};
  std::string body{};
  std::string content_type = "application/json";  // sent only with a body
  std::vector<std::pair<std::string, std::string>> headers{};
  std::chrono::milliseconds timeout{5000};  // total, from the call to the last byte
  std::size_t max_body_bytes = 8 * 1024 * 1024;
};

struct ClientResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string server;  // the Server header (our simnode says "autoglm")
  std::vector<std::pair<std::string, std::string>> headers;  // every header, names lower-case
};

// Any HTTP status is a response; errors are: kInvalidArgument (bad URL or method),
// kUnavailable (cannot resolve or connect), kTimeout (deadline passed), kUpstreamFailure
// (the connection broke or the answer was not HTTP, or its body was over the limit).
// Runs on the calling coroutine's executor; safe to run many at once.
// With GCC 12, build the request as a named variable and `co_await fetch(std::move(req))`:
// a braced temporary argument inside a co_await expression is destroyed twice (a compiler
// bug seen in tests/http/client_test.cpp), which corrupts the heap.
boost::asio::awaitable<core::Result<ClientResponse>> fetch(ClientRequest request);

// The same on a private io_context, blocking the calling thread: for CLIs and tests.
core::Result<ClientResponse> fetch_blocking(ClientRequest request);

}  // namespace autoglm::http
