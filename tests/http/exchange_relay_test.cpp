// A relay's answers (Exchange::respond / prepare_stream from a list of fields) are the
// same bytes as the same answers made as Beast messages, for every way a client asks.
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <utility>

#include "http/server.hpp"
#include "http/serving_thread.hpp"

namespace autoglm::http {
namespace {

using tcp = asio::ip::tcp;
using Field = std::pair<std::string_view, std::string_view>;

constexpr std::string_view kBody = R"({"ok":true})";

// /beast/... answers with Beast messages, /raw/... with fields; the rest of the path says
// what: a whole 201, an empty 204, or a stream of one chunk.
asio::awaitable<void> handle(Exchange& ex) {
  const std::string_view path = ex.target_path();
  const bool raw = path.starts_with("/raw/");
  const std::string_view what = path.substr(path.find('/', 1) + 1);
  ex.add_header("x-ratelimit-limit", "10");
  if (what == "whole" || what == "empty") {
    const unsigned status = what == "whole" ? 201 : 204;
    const std::string body(what == "whole" ? kBody : "");
    if (raw) {
      const std::array<Field, 2> fields{
          {{"Content-Type", "application/json"}, {"x-autoglm-node", "n1"}}};
      co_await ex.respond(status, fields, body);
    } else {
      Response response{static_cast<bhttp::status>(status), 11};
      response.set(bhttp::field::content_type, "application/json");
      response.set("x-autoglm-node", "n1");
      response.body() = body;
      co_await ex.respond(std::move(response));
    }
  } else {
    if (raw) {
      const std::array<Field, 3> fields{{{"Content-Type", "text/event-stream"},
                                         {"Cache-Control", "no-cache"},
                                         {"x-autoglm-node", "n1"}}};
      ex.prepare_stream(200, fields);
    } else {
      bhttp::response<bhttp::empty_body> head{bhttp::status::ok, 11};
      head.set(bhttp::field::content_type, "text/event-stream");
      head.set(bhttp::field::cache_control, "no-cache");
      head.set("x-autoglm-node", "n1");
      ex.prepare_stream(std::move(head));
    }
    co_await ex.end_stream("data: one\n\n");
  }
}

class ExchangeRelay : public ::testing::Test {
 protected:
  // Sends `requests` on one connection and returns every byte until the server closes it.
  std::string exchange(const std::string& requests) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), serving_.port()));
    asio::write(socket, asio::buffer(requests));
    std::string got;
    beast::error_code ec;
    asio::read(socket, asio::dynamic_buffer(got), ec);
    return got;
  }

  ServingThread serving_{handle};
};

std::string get(std::string_view path, std::string_view version, std::string_view extra) {
  return "GET " + std::string(path) + " HTTP/" + std::string(version) +
         "\r\nHost: x\r\nx-request-id: fixed-id\r\n" + std::string(extra) + "\r\n";
}

TEST_F(ExchangeRelay, SameBytesAsBeastMessages) {
  for (const std::string_view what : {"whole", "empty", "stream"}) {
    // Keep-alive then close on HTTP/1.1, and HTTP/1.0 with and without keep-alive.
    const auto asks = [&](std::string_view side) {
      const std::string path = "/" + std::string(side) + "/" + std::string(what);
      return std::array<std::string, 3>{
          get(path, "1.1", "") + get(path, "1.1", "Connection: close\r\n"),
          get(path, "1.0", "Connection: keep-alive\r\n") + get(path, "1.0", ""),
          get(path, "1.0", "")};
    };
    const auto beast_asks = asks("beast");
    const auto raw_asks = asks("raw");
    for (std::size_t i = 0; i < beast_asks.size(); ++i) {
      const std::string expected = exchange(beast_asks[i]);
      EXPECT_NE(expected.find("x-ratelimit-limit: 10\r\n"), std::string::npos) << expected;
      EXPECT_EQ(exchange(raw_asks[i]), expected) << what << " " << i;
    }
  }
}

TEST_F(ExchangeRelay, WholeAnswerIsFramedByItsLength) {
  const std::string got = exchange(get("/raw/whole", "1.1", "Connection: close\r\n"));
  EXPECT_TRUE(got.starts_with("HTTP/1.1 201 Created\r\n")) << got;
  EXPECT_NE(got.find("Content-Length: 11\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Connection: close\r\n"), std::string::npos) << got;
  EXPECT_TRUE(got.ends_with(std::string("\r\n\r\n") + std::string(kBody))) << got;
}

}  // namespace
}  // namespace autoglm::http
