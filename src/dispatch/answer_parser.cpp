#include "dispatch/answer_parser.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <cstring>

#include "http/parse_buffered.hpp"

namespace autoglm::dispatch {

std::size_t AnswerParser::take(string_view body, error_code& ec) {
  const std::size_t n = std::min(body.size(), room_ - filled_);
  if (n > 0) std::memcpy(data_ + filled_, body.data(), n);
  filled_ += n;
  if (n < body.size()) ec = boost::beast::http::error::need_buffer;
  return n;
}

boost::asio::awaitable<boost::beast::error_code> read_answer(boost::asio::ip::tcp::socket& socket,
                                                             boost::beast::flat_buffer& buffer,
                                                             AnswerParser& parser) {
  namespace asio = boost::asio;
  // What the buffer has room for, at least 4 KiB (most answers in one read) and at most
  // 64 KiB, as much as Beast reads at a time.
  const std::size_t room =
      std::clamp<std::size_t>(buffer.capacity() - buffer.size(), 4 * 1024, 64 * 1024);
  auto [ec, n] =
      co_await socket.async_read_some(buffer.prepare(room), asio::as_tuple(asio::use_awaitable));
  if (ec == asio::error::eof) {
    if (!parser.got_some()) co_return boost::beast::http::error::end_of_stream;
    boost::beast::error_code end;
    parser.put_eof(end);
    co_return end;
  }
  if (ec) co_return ec;
  buffer.commit(n);
  co_return http::parse_buffered(parser, buffer);
}

}  // namespace autoglm::dispatch
