#include "http/client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "http/server.hpp"
#include "http/serving_thread.hpp"

namespace autoglm::http {
namespace {

// A real http::Server on a loopback port, run by one background thread.
class ClientTest : public ::testing::Test {
 protected:
  static asio::awaitable<void> handle(Exchange& ex) {
    std::string_view path = ex.target_path();
    if (path == "/hello") {
      co_await ex.respond(200, "hi", "text/plain");
    } else if (path == "/echo") {
      const auto& req = ex.request();
      std::string body = std::string(req.method_string()) + "|" +
                         std::string(req[bhttp::field::content_type]) + "|" + req.body() + "|" +
                         std::string(req["x-test"]);
      co_await ex.respond(201, body, "text/plain");
    } else if (path == "/slow") {
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::seconds(5));
      co_await timer.async_wait(asio::use_awaitable);
      co_await ex.respond(200, "late");
    } else if (path == "/big") {
      co_await ex.respond(200, std::string(64 * 1024, 'x'), "text/plain");
    } else {
      co_await ex.respond(404, R"({"error":"no such route"})");
    }
  }

  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(serving_.port()) + std::string(path);
  }

  ServingThread serving_{[](Exchange& ex) { return handle(ex); }};
};

TEST_F(ClientTest, GetReturnsStatusBodyAndHeaders) {
  auto r = fetch_blocking({.url = url("/hello")});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "hi");
  EXPECT_EQ(r->content_type, "text/plain");
  EXPECT_EQ(r->server, "autoglm");
}

TEST_F(ClientTest, PostSendsBodyContentTypeAndHeaders) {
  auto r = fetch_blocking({.method = "POST",
                           .url = url("/echo"),
                           .body = R"({"a":1})",
                           .headers = {{"x-test", "yes"}}});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->status, 201u);
  EXPECT_EQ(r->body, R"(POST|application/json|{"a":1}|yes)");
}

TEST_F(ClientTest, ErrorStatusesAreResponsesNotErrors) {
  auto r = fetch_blocking({.url = url("/nowhere")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404u);
}

TEST_F(ClientTest, TotalTimeoutIsATimeoutError) {
  auto r = fetch_blocking({.url = url("/slow"), .timeout = std::chrono::milliseconds(150)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), core::ErrorCode::kTimeout);
  EXPECT_NE(r.status().message().find("150 ms"), std::string::npos) << r.status().message();
}

TEST_F(ClientTest, BodyOverTheLimitIsAnUpstreamFailure) {
  auto r = fetch_blocking({.url = url("/big"), .max_body_bytes = 1024});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), core::ErrorCode::kUpstreamFailure);
}

TEST_F(ClientTest, ManyConcurrentFetchesOnOneExecutor) {
  asio::io_context client_io;
  int ok = 0;
  for (int i = 0; i < 20; ++i) {
    asio::co_spawn(
        client_io,
        [&]() -> asio::awaitable<void> {
          ClientRequest request;  // named: GCC 12 mishandles aggregate temporaries in co_await
          request.url = url("/hello");
          auto r = co_await fetch(std::move(request));
          if (r && r->status == 200) ++ok;
        },
        asio::detached);
  }
  client_io.run();
  EXPECT_EQ(ok, 20);
}

TEST(Client, RefusedConnectionIsUnavailable) {
  // A port that was just free: bind, note it, close.
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto port = a.local_endpoint().port();
  a.close();
  auto r = fetch_blocking({.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), core::ErrorCode::kUnavailable);
}

TEST(Client, BadUrlOrMethodIsInvalidArgument) {
  EXPECT_EQ(fetch_blocking({.url = "https://a/"}).status().code(),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(fetch_blocking({.url = "nonsense"}).status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(fetch_blocking({.method = "BREW", .url = "http://127.0.0.1:1/"}).status().code(),
            core::ErrorCode::kInvalidArgument);
}

TEST(Url, Parsing) {
  auto a = parse_url("http://10.0.0.5:8000/v1/models?x=1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "10.0.0.5");
  EXPECT_EQ(a->port, "8000");
  EXPECT_EQ(a->target, "/v1/models?x=1");
  auto b = parse_url("http://example.com");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port, "80");
  EXPECT_EQ(b->target, "/");
  auto c = parse_url("http://[::1]:9000/metrics");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, "9000");
  EXPECT_FALSE(parse_url("http://:80/"));
  EXPECT_FALSE(parse_url("http://host:8x/"));
  EXPECT_FALSE(parse_url("ftp://host/"));
}

TEST(Url, Join) {
  EXPECT_EQ(join_url("http://a:1/", "/v1/models"), "http://a:1/v1/models");
  EXPECT_EQ(join_url("http://a:1", "metrics"), "http://a:1/metrics");
  EXPECT_EQ(join_url("http://a:1/base/", "x"), "http://a:1/base/x");
}

}  // namespace
}  // namespace autoglm::http
