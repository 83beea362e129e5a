#include "http/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <memory>
#include <optional>

#include "core/version.hpp"
#include "http/wire.hpp"

namespace autoglm::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string describe(const ClientRequest& r) { return r.method + " " + r.url; }

core::Status timeout_status(const ClientRequest& r) {
  return {core::ErrorCode::kTimeout,
          describe(r) + ": no complete answer within " + std::to_string(r.timeout.count()) + " ms"};
}

// Resolves under the deadline: a timer cancels a resolver stuck on DNS. Both live in
// shared state because the timer's handler may run after this coroutine has returned.
asio::awaitable<core::Result<tcp::resolver::results_type>> resolve(
    const Url& url, std::chrono::steady_clock::time_point deadline, const ClientRequest& r) {
  auto ex = co_await asio::this_coro::executor;
  auto resolver = std::make_shared<tcp::resolver>(ex);
  auto expired = std::make_shared<bool>(false);
  asio::steady_timer timer(ex, deadline);
  timer.async_wait([resolver, expired](beast::error_code ec) {
    if (ec) return;
    *expired = true;
    resolver->cancel();
  });
  auto [ec, results] = co_await resolver->async_resolve(url.host, url.port, kNoThrow);
  timer.cancel();
  if (*expired) co_return timeout_status(r);
  if (ec) {
    co_return core::Status(core::ErrorCode::kUnavailable,
                           describe(r) + ": cannot resolve '" + url.host + "': " + ec.message());
  }
  co_return results;
}

std::string host_header(const Url& url) {
  bool v6 = url.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + url.host + "]" : url.host;
  return url.port == "80" ? host : host + ":" + url.port;
}

}  // namespace

core::Result<Url> parse_url(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  if (text.substr(0, kScheme.size()) != kScheme) {
    return core::invalid_argument("'" + std::string(text) +
                                  "' is not an http:// URL (https is not supported)");
  }
  std::string_view rest = text.substr(kScheme.size());
  std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  Url url;
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target.front() == '?') url.target.insert(0, "/");
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return core::invalid_argument("unclosed '[' in " + std::string(text));
    url.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else {
    std::size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return core::invalid_argument("no host in URL '" + std::string(text) + "'");
  url.port = port.empty() ? "80" : std::string(port);
  for (char c : url.port) {
    if (c < '0' || c > '9')
      return core::invalid_argument("bad port in URL '" + std::string(text) + "'");
  }
  return url;
}

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(base) + "/" + std::string(path);
}

asio::awaitable<core::Result<ClientResponse>> fetch(ClientRequest r) {
  auto url = parse_url(r.url);
  if (!url) co_return url.status();
  bhttp::verb verb = bhttp::string_to_verb(r.method);
  if (verb == bhttp::verb::unknown)
    co_return core::invalid_argument("unknown HTTP method " + r.method);
  auto deadline = std::chrono::steady_clock::now() + r.timeout;

  auto endpoints = co_await resolve(*url, deadline, r);
  if (!endpoints) co_return endpoints.status();

  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_at(deadline);
  auto [cec, ep] = co_await stream.async_connect(*endpoints, kNoThrow);
  if (cec == beast::error::timeout) co_return timeout_status(r);
  if (cec) {
    co_return core::Status(core::ErrorCode::kUnavailable,
                           describe(r) + ": cannot connect: " + cec.message());
  }

  bhttp::request<bhttp::string_body> req{verb, url->target, 11};
  req.set(bhttp::field::host, host_header(*url));
  req.set(bhttp::field::user_agent, std::string("autoglm/") + core::kVersion);
  req.keep_alive(false);
  for (const auto& [k, v] : r.headers) req.set(k, v);
  if (!r.body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put) {
    req.set(bhttp::field::content_type, r.content_type);
    req.body() = std::move(r.body);
  }
  req.prepare_payload();
  const beast::error_code wec = co_await write_message(stream, req);
  if (wec == beast::error::timeout) co_return timeout_status(r);
  if (wec) {
    co_return core::Status(core::ErrorCode::kUpstreamFailure,
                           describe(r) + ": sending failed: " + wec.message());
  }

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(r.max_body_bytes);
  auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
  if (rec == beast::error::timeout) co_return timeout_status(r);
  if (rec) {
    co_return core::Status(core::ErrorCode::kUpstreamFailure,
                           describe(r) + ": bad or broken answer: " + rec.message());
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  auto& res = parser.get();
  ClientResponse out;
  out.status = res.result_int();
  out.content_type = std::string(res[bhttp::field::content_type]);
  out.server = std::string(res[bhttp::field::server]);
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = std::move(res.body());
  co_return out;
}

core::Result<ClientResponse> fetch_blocking(ClientRequest request) {
  asio::io_context io;
  std::optional<core::Result<ClientResponse>> result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result.emplace(co_await fetch(std::move(request))); },
      [&](std::exception_ptr e) {
        if (e) result.emplace(core::Status(core::ErrorCode::kInternal, "HTTP client failed"));
      });
  io.run();
  return std::move(*result);
}

}  // namespace autoglm::http
