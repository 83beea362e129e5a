#include "dispatch/answer_parser.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstdio>
#include <string>
#include <string_view>

#include "http/parse_buffered.hpp"

namespace autoglm::dispatch {
namespace {

namespace beast = boost::beast;

beast::flat_buffer holding(std::string_view bytes) {
  beast::flat_buffer buffer;
  buffer.commit(boost::asio::buffer_copy(buffer.prepare(bytes.size()),
                                         boost::asio::buffer(bytes.data(), bytes.size())));
  return buffer;
}

// Parses everything `bytes` holds, lending `room` bytes at a time; returns the body.
std::string body_of(AnswerParser& parser, std::string_view bytes, std::size_t room) {
  beast::flat_buffer buffer = holding(bytes);
  std::string body;
  std::string space(room, '\0');
  while (!parser.is_done()) {
    parser.lend(space.data(), space.size());
    EXPECT_FALSE(http::parse_buffered(parser, buffer));
    if (parser.filled() == 0 && !parser.is_done()) break;  // nothing more to parse
    body.append(space.data(), parser.filled());
  }
  return body;
}

TEST(AnswerParser, KeepsStatusContentTypeAndTheBody) {
  AnswerParser parser;
  const std::string body =
      body_of(parser,
              "HTTP/1.1 200 OK\r\nServer: simnode\r\nContent-Type: application/json\r\n"
              "X-Other: 1\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
              4096);
  EXPECT_TRUE(parser.is_done());
  EXPECT_EQ(parser.status(), 200u);
  EXPECT_EQ(parser.content_type(), "application/json");
  EXPECT_TRUE(parser.keep_alive());
  EXPECT_EQ(body, R"({"ok":true})");
}

// A chunked event stream read into a buffer smaller than a chunk comes out whole, in
// order, without the chunk framing.
TEST(AnswerParser, ChunkedBodyThroughASmallBuffer) {
  AnswerParser parser;
  const std::string body = body_of(parser,
                                   "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                   "b\r\ndata: one\n\n\r\nb\r\ndata: two\n\n\r\n0\r\n\r\n",
                                   5);
  EXPECT_TRUE(parser.is_done());
  EXPECT_EQ(parser.content_type(), "text/event-stream");
  EXPECT_FALSE(parser.keep_alive());
  EXPECT_EQ(body, "data: one\n\ndata: two\n\n");
}

// Before any buffer is lent the body waits in the read buffer: nothing is lost.
TEST(AnswerParser, BodyWaitsForALentBuffer) {
  AnswerParser parser;
  beast::flat_buffer buffer =
      holding("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
  EXPECT_FALSE(http::parse_buffered(parser, buffer));
  EXPECT_TRUE(parser.is_header_done());
  EXPECT_FALSE(parser.is_done());
  EXPECT_EQ(parser.status(), 503u);
  EXPECT_EQ(parser.content_type(), "");
  char space[16];
  parser.lend(space, sizeof space);
  EXPECT_FALSE(http::parse_buffered(parser, buffer));
  EXPECT_TRUE(parser.is_done());
  EXPECT_EQ(std::string_view(space, parser.filled()), "busy");
}

// What read_answer makes of `bytes` sent by a node that then closes the connection: the
// error of the read that ends it, the body, and whether the answer is done.
struct ReadOutcome {
  beast::error_code ec;
  std::string body;
  bool done = false;
};
ReadOutcome read_until_close(std::string_view bytes) {
  namespace asio = boost::asio;
  using tcp = asio::ip::tcp;
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  ReadOutcome out;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket node(co_await acceptor.async_accept(asio::use_awaitable));
        co_await asio::async_write(node, asio::buffer(bytes.data(), bytes.size()),
                                   asio::use_awaitable);
        node.shutdown(tcp::socket::shutdown_send);
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket socket(io);
        co_await socket.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
        beast::flat_buffer buffer;
        AnswerParser parser;
        char space[64];
        while (!out.ec && !parser.is_done()) {
          parser.lend(space, sizeof space);
          out.ec = http::parse_buffered(parser, buffer);
          if (!out.ec && parser.filled() == 0 && !parser.is_done())
            out.ec = co_await read_answer(socket, buffer, parser);
          out.body.append(space, parser.filled());
        }
        out.done = parser.is_done();
      },
      asio::detached);
  io.run_for(std::chrono::seconds(10));
  return out;
}

TEST(ReadAnswer, ABodyThatRunsToTheCloseEndsThere) {
  const ReadOutcome out = read_until_close(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
      "{\"ok\":true}");
  EXPECT_FALSE(out.ec) << out.ec.message();
  EXPECT_TRUE(out.done);
  EXPECT_EQ(out.body, R"({"ok":true})");
}

TEST(ReadAnswer, ACloseBeforeTheEndIsAPartialMessage) {
  const ReadOutcome out =
      read_until_close("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
  EXPECT_EQ(out.ec, beast::http::error::partial_message) << out.ec.message();
  EXPECT_FALSE(out.done);
  EXPECT_EQ(out.body, "only part");
}

TEST(ReadAnswer, ACloseBeforeAnyByteIsTheEndOfTheStream) {
  const ReadOutcome out = read_until_close("");
  EXPECT_EQ(out.ec, beast::http::error::end_of_stream) << out.ec.message();
  EXPECT_FALSE(out.done);
}

// A body larger than one read and than the lent space comes out whole.
TEST(ReadAnswer, ALargeChunkedBodyComesOutWhole) {
  std::string events;
  for (int i = 0; i < 2000; ++i) events += "data: {\"n\":" + std::to_string(i) + "}\n\n";
  std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < events.size(); at += 1000) {
    const std::string part = events.substr(at, 1000);
    char size_line[20];
    wire.append(size_line, static_cast<std::size_t>(
                               std::snprintf(size_line, sizeof size_line, "%zx\r\n", part.size())));
    wire += part + "\r\n";
  }
  wire += "0\r\n\r\n";
  const ReadOutcome out = read_until_close(wire);
  EXPECT_FALSE(out.ec) << out.ec.message();
  EXPECT_TRUE(out.done);
  EXPECT_TRUE(out.body == events);
}

}  // namespace
}  // namespace autoglm::dispatch
