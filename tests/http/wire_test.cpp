#include "http/wire.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace autoglm::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// What Beast's own serializer writes for the same message.
template <class Message>
std::string beast_bytes(const Message& message) {
  std::ostringstream out;
  out << message;
  return out.str();
}

// Everything `reader` receives until the peer ends the connection (or it fails), read
// `chunk` bytes at a time.
asio::awaitable<std::string> read_to_end(tcp::socket& reader, std::size_t chunk) {
  std::string received;
  std::vector<char> buf(chunk);
  for (;;) {
    auto [ec, n] =
        co_await reader.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    received.append(buf.data(), n);
    if (ec) co_return received;
  }
}

TEST(Wire, RequestHeadIsWhatBeastWrites) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/v1/chat/completions?x=1", 11};
  req.set(bhttp::field::host, "127.0.0.1:8000");
  req.set(bhttp::field::content_type, "application/json");
  req.set("x-request-id", "abc");
  req.keep_alive(true);
  req.body() = R"({"model":"m"})";
  req.prepare_payload();
  std::string head;
  append_head(head, req.base());
  EXPECT_EQ(head + req.body(), beast_bytes(req));
}

TEST(Wire, ResponseHeadIsWhatBeastWritesForEveryVersionAndStatus) {
  for (const unsigned version : {10u, 11u}) {
    for (const unsigned status : {200u, 201u, 404u, 429u, 503u, 599u}) {
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), version};
      res.set(bhttp::field::server, "autoglm");
      res.set("x-autoglm-node", "n0");
      res.keep_alive(version == 11);
      res.body() = "hello";
      res.prepare_payload();
      std::string head;
      append_head(head, res.base());
      EXPECT_EQ(head + res.body(), beast_bytes(res)) << version << " " << status;
    }
  }
  bhttp::response<bhttp::string_body> custom{bhttp::status::ok, 11};
  custom.reason("Fine");
  std::string head;
  append_head(head, custom.base());
  EXPECT_EQ(head, "HTTP/1.1 200 Fine\r\n\r\n");
}

TEST(Wire, ConcatJoinsPiecesIncludingEmptyOnes) {
  EXPECT_EQ(concat({"POST ", "", std::string_view(), "/v1", " HTTP/1.1\r\n"}),
            "POST /v1 HTTP/1.1\r\n");
  EXPECT_EQ(concat({}), "");
}

TEST(Wire, ChunkSizeLineIsLowercaseHexWithoutLeadingZeros) {
  char line[20];
  EXPECT_EQ(std::string(line, chunk_size_line(1, line)), "1\r\n");
  EXPECT_EQ(std::string(line, chunk_size_line(0x10, line)), "10\r\n");
  EXPECT_EQ(std::string(line, chunk_size_line(0xabcdef, line)), "abcdef\r\n");
  EXPECT_EQ(std::string(line, chunk_size_line(~std::size_t{0}, line)), "ffffffffffffffff\r\n");
}

// A whole answer and a chunked one written over a real loopback connection come out of
// Beast's parser as sent.
TEST(Wire, MessagesAndChunksParseBackOverASocket) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::string whole_body, streamed_body, streamed_encoding, one_body, empty_body;
  bool done = false, empty_done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket writer(co_await acceptor.async_accept(asio::use_awaitable));
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
        res.set(bhttp::field::content_type, "application/json");
        res.body() = R"({"ok":true})";
        res.prepare_payload();
        const beast::error_code whole_ec = co_await write_message(writer, res);
        EXPECT_FALSE(whole_ec);
        bhttp::response<bhttp::empty_body> head{bhttp::status::ok, 11};
        head.set(bhttp::field::content_type, "text/event-stream");
        head.chunked(true);
        std::string head_bytes;
        append_head(head_bytes, head.base());
        // The head alone, chunks (an empty one writes nothing), then a last chunk with
        // the end.
        const beast::error_code head_ec = co_await write_chunked(writer, head_bytes, "", false);
        EXPECT_FALSE(head_ec);
        for (const char* part : {"data: 1\n\n", ""}) {
          const beast::error_code ec = co_await write_chunked(writer, "", part, false);
          EXPECT_FALSE(ec);
        }
        const beast::error_code last_ec =
            co_await write_chunked(writer, "", "data: [DONE]\n\n", true);
        EXPECT_FALSE(last_ec);
        // A whole stream in one write: head, its only chunk and the end.
        const beast::error_code one_ec =
            co_await write_chunked(writer, head_bytes, "data: only\n\n", true);
        EXPECT_FALSE(one_ec);
        // A stream that ends without a chunk: head and end.
        const beast::error_code empty_ec = co_await write_chunked(writer, head_bytes, "", true);
        EXPECT_FALSE(empty_ec);
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket reader(io);
        co_await reader.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
        beast::flat_buffer buffer;
        bhttp::response<bhttp::string_body> whole, streamed, one, empty;
        co_await bhttp::async_read(reader, buffer, whole, asio::use_awaitable);
        co_await bhttp::async_read(reader, buffer, streamed, asio::use_awaitable);
        co_await bhttp::async_read(reader, buffer, one, asio::use_awaitable);
        co_await bhttp::async_read(reader, buffer, empty, asio::use_awaitable);
        whole_body = whole.body();
        streamed_body = streamed.body();
        streamed_encoding = std::string(streamed[bhttp::field::transfer_encoding]);
        one_body = one.body();
        empty_body = empty.body();
        empty_done = empty.chunked();
        done = true;
      },
      asio::detached);
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(done);
  EXPECT_EQ(whole_body, R"({"ok":true})");
  EXPECT_EQ(streamed_encoding, "chunked");
  EXPECT_EQ(streamed_body, "data: 1\n\ndata: [DONE]\n\n");
  EXPECT_EQ(one_body, "data: only\n\n");
  EXPECT_TRUE(empty_done);
  EXPECT_EQ(empty_body, "");
}

// The bytes of one gathered write, byte for byte: head, size line, data, CRLF, end.
TEST(Wire, ChunkedWriteBytes) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::string received;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        // The client side's stream type (Beast's timeouts), the other instantiation.
        beast::tcp_stream writer(co_await acceptor.async_accept(asio::use_awaitable));
        co_await write_chunked(writer, "HEAD\r\n\r\n", "0123456789abcdef!", true);
        co_await write_chunked(writer, "", "x", false);
        co_await write_chunked(writer, "", "", false);  // nothing
        co_await write_chunked(writer, "", "", true);
        writer.socket().shutdown(tcp::socket::shutdown_send);
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket reader(io);
        co_await reader.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
        received = co_await read_to_end(reader, 256);
      },
      asio::detached);
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(received, "HEAD\r\n\r\n11\r\n0123456789abcdef!\r\n0\r\n\r\n1\r\nx\r\n0\r\n\r\n");
}

// A plain socket is offered the bytes at once; what its send buffer cannot take is written
// asynchronously. A body many times the send buffer, to a reader that starts late, arrives
// whole and in order.
TEST(Wire, LargeWriteToASlowReaderArrivesWhole) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::string body(2 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + (i * 7) % 26);
  const std::string head = "HEAD\r\n\r\n";
  std::string received;
  beast::error_code write_ec = asio::error::operation_aborted;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket writer(co_await acceptor.async_accept(asio::use_awaitable));
        writer.set_option(asio::socket_base::send_buffer_size(16 * 1024));
        write_ec = co_await write_bytes(writer, head, body);
        writer.shutdown(tcp::socket::shutdown_send);
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket reader(io);
        co_await reader.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
        asio::steady_timer late(io, std::chrono::milliseconds(50));
        co_await late.async_wait(asio::use_awaitable);
        received = co_await read_to_end(reader, 64 * 1024);
      },
      asio::detached);
  io.run_for(std::chrono::seconds(20));
  EXPECT_FALSE(write_ec) << write_ec.message();
  ASSERT_EQ(received.size(), head.size() + body.size());
  EXPECT_TRUE(received == head + body);
}

// A write to a peer that has gone, or on a closed socket, fails with the system's error
// (and no SIGPIPE).
TEST(Wire, WritesToAGonePeerOrAClosedSocketFail) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  beast::error_code gone_ec, closed_ec;
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        tcp::socket reader(io);
        co_await reader.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
        tcp::socket writer(co_await acceptor.async_accept(asio::use_awaitable));
        reader.set_option(asio::socket_base::linger(true, 0));  // close with a reset
        reader.close();
        asio::steady_timer settle(io, std::chrono::milliseconds(20));
        co_await settle.async_wait(asio::use_awaitable);
        const std::string chunk(64 * 1024, 'x');
        for (int i = 0; i < 100 && !gone_ec; ++i) gone_ec = co_await write_bytes(writer, "", chunk);
        writer.close();
        closed_ec = co_await write_chunked(writer, "HEAD\r\n\r\n", "data", true);
        done = true;
      },
      asio::detached);
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(done);
  EXPECT_TRUE(gone_ec == asio::error::connection_reset || gone_ec == asio::error::broken_pipe)
      << gone_ec.message();
  EXPECT_EQ(closed_ec, asio::error::bad_descriptor) << closed_ec.message();
}

}  // namespace
}  // namespace autoglm::http
