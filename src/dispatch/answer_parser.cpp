#include "dispatch/answer_parser.hpp"

#include <algorithm>
#include <boost/beast/http/error.hpp>
#include <cstring>

namespace autoglm::dispatch {

std::size_t AnswerParser::take(string_view body, error_code& ec) {
  const std::size_t n = std::min(body.size(), room_ - filled_);
  if (n > 0) std::memcpy(data_ + filled_, body.data(), n);
  filled_ += n;
  if (n < body.size()) ec = boost::beast::http::error::need_buffer;
  return n;
}

}  // namespace autoglm::dispatch
