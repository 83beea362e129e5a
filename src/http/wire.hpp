// HTTP/1.1 messages put on the wire without Beast's generic serializer: the start line and
// header fields are written into one string and sent with the body in a single gathered
// write. Beast's serializer walks nested buffer-sequence views, which cost the gateway
// about as many instructions per small answer as everything else it does for a request;
// the bytes sent are the same. Heavy header (Beast, Asio): include it from .cpp files only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace autoglm::http {

// The status line of an answer, e.g. "HTTP/1.1 200 OK\r\n".
void append_status_line(std::string& out, unsigned version, unsigned status,
                        std::string_view reason);
// One header field line: "name: value\r\n".
void append_field(std::string& out, std::string_view name, std::string_view value);

// `pieces` joined, sized once and copied piece by piece (an append per piece checks the
// capacity each time).
std::string concat(std::initializer_list<std::string_view> pieces);

// Appends the start line, every header field in order, and the blank line that ends them.
void append_head(std::string& out, const boost::beast::http::request_header<>& head);
void append_head(std::string& out, const boost::beast::http::response_header<>& head);

// Bind the results to a variable before testing them: GCC 12 miscompiles
// `if (co_await write_...(...))` (a class-type result in a condition; SIGILL at run time).
//
// `Stream` is boost::asio::ip::tcp::socket (the server and the relay to nodes, whose
// deadlines are http::Deadline) or boost::beast::tcp_stream (clients that use Beast's
// per-operation timeouts); wire.cpp instantiates both.

// Writes `message` (head and body) as it stands: call prepare_payload() first, as Beast's
// own write requires of a message with a body. The error is the write's.
template <class Stream, bool isRequest>
boost::asio::awaitable<boost::beast::error_code> write_message(
    Stream& stream,
    const boost::beast::http::message<isRequest, boost::beast::http::string_body>& message);

// Writes `head` (a start line and fields, as append_head makes them) and `body` in one
// gathered write.
template <class Stream>
boost::asio::awaitable<boost::beast::error_code> write_bytes(Stream& stream, std::string_view head,
                                                             std::string_view body);

// Writes, in one gathered write: `head` (a start line and fields, as append_head makes them;
// empty when already sent), `data` as one chunk of a chunked body (nothing when empty: an
// empty chunk would end the body), and when `last` the last chunk, which ends the body (no
// trailers). A proxy relaying a stream sends its head with the first chunk and the end with
// the final one, two writes fewer per stream than one write for each.
template <class Stream>
boost::asio::awaitable<boost::beast::error_code> write_chunked(Stream& stream,
                                                               std::string_view head,
                                                               std::string_view data, bool last);

// The size line of a chunk ("1a2b\r\n") into `out`; returns its length. REQUIRES: out has
// room for 16 hex digits and CRLF.
std::size_t chunk_size_line(std::size_t size, char* out);

}  // namespace autoglm::http
