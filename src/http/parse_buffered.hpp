// Feeding a Beast parser the bytes a buffer already holds, without reading more: a request
// or answer that arrived whole with one read needs no further asynchronous read, which
// costs a composed operation and a posted completion even when it reads nothing. Heavy
// header (Beast): include it from .cpp files only.
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>

namespace autoglm::http {

// Parses what `buffer` holds into `parser` until the message is done, the buffer runs out,
// or (for a buffer_body) the body's space is full; consumes what was parsed. Running out
// (need_more, need_buffer) is no error: then read more, or make room, and go on.
template <class Parser>
boost::beast::error_code parse_buffered(Parser& parser, boost::beast::flat_buffer& buffer) {
  namespace bhttp = boost::beast::http;
  boost::beast::error_code ec;
  while (!parser.is_done() && buffer.size() > 0) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec || used == 0) break;
  }
  if (ec == bhttp::error::need_more || ec == bhttp::error::need_buffer) ec = {};
  return ec;
}

}  // namespace autoglm::http
