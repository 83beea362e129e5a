#include "http/wire.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cerrno>
#include <cstring>
#include <type_traits>

namespace autoglm::http {

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kCrlf = "\r\n";

void append_version(std::string& out, unsigned version) {
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
}

char* put(char* at, std::string_view s) {
  if (s.empty()) return at;  // may have no data pointer: not one for memcpy
  std::memcpy(at, s.data(), s.size());
  return at + s.size();
}

// "name: value\r\n" at `at`, which has room for it.
char* put_field(char* at, std::string_view name, std::string_view value) {
  at = put(at, name);
  at = put(at, ": ");
  at = put(at, value);
  return put(at, kCrlf);
}

// Sized once, then copied field by field: an append per piece checked capacity and called
// memcpy four times a field.
void append_fields(std::string& out, const bhttp::fields& fields) {
  std::size_t size = kCrlf.size();
  for (const auto& field : fields) size += field.name_string().size() + field.value().size() + 4;
  const std::size_t start = out.size();
  out.resize(start + size);
  char* at = out.data() + start;
  for (const auto& field : fields) at = put_field(at, field.name_string(), field.value());
  put(at, kCrlf);
}

// Enough for the usual head in one allocation: the start line and a dozen short fields.
constexpr std::size_t kHeadReserve = 512;

asio::const_buffer as_buffer(std::string_view s) { return {s.data(), s.size()}; }

// Sends as much of `buffers` as the socket takes now, without waiting, and drops what was
// sent from them. Returns false, with `ec` set, when the send failed for another reason than
// a full send buffer.
template <std::size_t N>
bool send_now(asio::ip::tcp::socket& socket, std::array<asio::const_buffer, N>& buffers,
              boost::beast::error_code& ec) {
  iovec iov[N];
  int count = 0;
  for (const auto& b : buffers) {
    if (b.size() == 0) continue;
    iov[count++] = iovec{const_cast<void*>(b.data()), b.size()};
  }
  if (count == 0) return true;
  msghdr message{};
  message.msg_iov = iov;
  message.msg_iovlen = static_cast<std::size_t>(count);
  ssize_t sent;
  do {
    sent = ::sendmsg(socket.native_handle(), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
    ec = boost::beast::error_code(errno, asio::error::get_system_category());
    return false;
  }
  auto left = static_cast<std::size_t>(sent);
  for (auto& b : buffers) {
    const std::size_t take = std::min(left, b.size());
    b += take;
    left -= take;
  }
  return true;
}

// Offers `buffers` to a plain socket at once. A socket with room in its send buffer (nearly
// always, for an answer of a few kilobytes) takes them whole, and the write is over without
// an asynchronous one, whose completion would come back through the event loop. Returns
// true when the write is over (sent, or failed with `ec`); false when what is left in
// `buffers` must be written asynchronously. A Beast stream, with its own timeouts, is
// always written asynchronously.
template <class Stream, std::size_t N>
bool write_now(Stream& stream, std::array<asio::const_buffer, N>& buffers,
               boost::beast::error_code& ec) {
  if constexpr (std::is_same_v<Stream, asio::ip::tcp::socket>) {
    return !send_now(stream, buffers, ec) || asio::buffer_size(buffers) == 0;
  } else {
    return false;
  }
}

}  // namespace

std::string concat(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (const std::string_view piece : pieces) size += piece.size();
  std::string out(size, '\0');
  char* at = out.data();
  for (const std::string_view piece : pieces) at = put(at, piece);
  return out;
}

void append_head(std::string& out, const bhttp::request_header<>& head) {
  out.append(head.method_string());
  out += ' ';
  out.append(head.target());
  out += ' ';
  append_version(out, head.version());
  out += kCrlf;
  append_fields(out, head);
}

void append_status_line(std::string& out, unsigned version, unsigned status,
                        std::string_view reason) {
  append_version(out, version);
  out += ' ';
  out += static_cast<char>('0' + status / 100 % 10);
  out += static_cast<char>('0' + status / 10 % 10);
  out += static_cast<char>('0' + status % 10);
  out += ' ';
  out.append(reason);
  out += kCrlf;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  const std::size_t start = out.size();
  out.resize(start + name.size() + value.size() + 4);
  put_field(out.data() + start, name, value);
}

void append_head(std::string& out, const bhttp::response_header<>& head) {
  append_status_line(out, head.version(), head.result_int(), head.reason());
  append_fields(out, head);
}

std::size_t chunk_size_line(std::size_t size, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char digits[16];
  std::size_t n = 0;
  do {
    digits[n++] = kHex[size & 0xf];
    size >>= 4;
  } while (size != 0);
  for (std::size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  out[n] = '\r';
  out[n + 1] = '\n';
  return n + 2;
}

template <class Stream>
asio::awaitable<boost::beast::error_code> write_bytes(Stream& stream, std::string_view head,
                                                      std::string_view body) {
  std::array buffers{as_buffer(head), as_buffer(body)};
  if (boost::beast::error_code ec; write_now(stream, buffers, ec)) co_return ec;
  auto [ec, n] = co_await asio::async_write(stream, buffers, kNoThrow);
  co_return ec;
}

template <class Stream, bool isRequest>
asio::awaitable<boost::beast::error_code> write_message(
    Stream& stream, const bhttp::message<isRequest, bhttp::string_body>& message) {
  std::string head;
  head.reserve(kHeadReserve);
  append_head(head, message.base());
  std::array buffers{as_buffer(head), as_buffer(message.body())};
  if (boost::beast::error_code ec; write_now(stream, buffers, ec)) co_return ec;
  auto [ec, n] = co_await asio::async_write(stream, buffers, kNoThrow);
  co_return ec;
}

template <class Stream>
asio::awaitable<boost::beast::error_code> write_chunked(Stream& stream, std::string_view head,
                                                        std::string_view data, bool last) {
  static constexpr std::string_view kLast = "0\r\n\r\n";
  char size_line[20];
  const std::size_t size_length = data.empty() ? 0 : chunk_size_line(data.size(), size_line);
  std::array<asio::const_buffer, 5> buffers{
      as_buffer(head), asio::const_buffer(size_line, size_length), as_buffer(data),
      as_buffer(data.empty() ? std::string_view() : kCrlf),
      as_buffer(last ? kLast : std::string_view())};
  if (boost::beast::error_code ec; write_now(stream, buffers, ec)) co_return ec;
  auto [ec, n] = co_await asio::async_write(stream, buffers, kNoThrow);
  co_return ec;
}

#define AUTOGLM_WIRE_FOR(Stream)                                                              \
  template asio::awaitable<boost::beast::error_code> write_bytes(Stream&, std::string_view,   \
                                                                 std::string_view);           \
  template asio::awaitable<boost::beast::error_code> write_message(                           \
      Stream&, const bhttp::message<true, bhttp::string_body>&);                              \
  template asio::awaitable<boost::beast::error_code> write_message(                           \
      Stream&, const bhttp::message<false, bhttp::string_body>&);                             \
  template asio::awaitable<boost::beast::error_code> write_chunked(Stream&, std::string_view, \
                                                                   std::string_view, bool);
AUTOGLM_WIRE_FOR(asio::ip::tcp::socket)
AUTOGLM_WIRE_FOR(boost::beast::tcp_stream)
#undef AUTOGLM_WIRE_FOR

}  // namespace autoglm::http
