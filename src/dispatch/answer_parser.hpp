// AnswerParser: a node's HTTP answer as the relay reads it. Beast's basic_parser does the
// parsing; of the header only the status and the content type are kept, and body bytes
// (plain or chunked) are copied into a buffer the caller lends. Beast's response_parser
// would store every header field (an allocation and a tree insertion each) for a relay
// that looks at one. Heavy header (Beast): include it from .cpp files only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace autoglm::dispatch {

class AnswerParser final : public boost::beast::http::basic_parser<false> {
 public:
  unsigned status() const { return status_; }
  std::string_view content_type() const { return content_type_; }

  // Body bytes parsed from now on are copied to [data, data + size). When it is full, put()
  // stops with http::error::need_buffer (as with Beast's buffer_body); lend room again.
  void lend(char* data, std::size_t size) {
    data_ = data;
    room_ = size;
    filled_ = 0;
  }
  // Body bytes copied into the buffer since lend().
  std::size_t filled() const { return filled_; }

 private:
  using error_code = boost::beast::error_code;
  using field = boost::beast::http::field;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(field name, string_view, string_view value, error_code&) override {
    if (name == field::content_type) content_type_.assign(value.data(), value.size());
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(string_view body, error_code& ec) override { return take(body, ec); }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code& ec) override {
    return take(body, ec);
  }
  void on_finish_impl(error_code&) override {}

  std::size_t take(string_view body, error_code& ec);

  unsigned status_ = 0;
  std::string content_type_;
  char* data_ = nullptr;
  std::size_t room_ = 0;
  std::size_t filled_ = 0;
};

// One read from `socket` into `buffer`, then everything buffered parsed into `parser`
// (stopping, without error, when the lent buffer is full). Beast's own read_some does the
// same through a composed operation, and on a fresh buffer reads 512 bytes at a time. When the
// node closes the connection, an answer whose body runs to the close is done; one closed
// before its end fails with http::error::partial_message, and a close before any byte with
// http::error::end_of_stream, as with Beast's read.
boost::asio::awaitable<boost::beast::error_code> read_answer(boost::asio::ip::tcp::socket& socket,
                                                             boost::beast::flat_buffer& buffer,
                                                             AnswerParser& parser);

}  // namespace autoglm::dispatch
