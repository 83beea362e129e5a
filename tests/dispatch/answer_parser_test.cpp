#include "dispatch/answer_parser.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
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

}  // namespace
}  // namespace autoglm::dispatch
