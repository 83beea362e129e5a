#include "dispatch/upstream_request.hpp"

#include <charconv>

#include "http/wire.hpp"

namespace autoglm::dispatch {

std::string upstream_head(const NodeState& node, std::string_view target,
                          const ForwardedHeaders& headers, std::size_t body_size) {
  char length[24];
  const std::string_view length_text(
      length, std::to_chars(length, length + sizeof length, body_size).ptr - length);
  return http::concat({
      "POST ",
      node.base_path,
      target,
      " HTTP/1.1\r\nHost: ",
      node.host,
      ":",
      node.port,
      "\r\nContent-Type: application/json\r\nAccept: ",
      headers.accept.empty() ? std::string_view("*/*") : headers.accept,
      headers.authorization.empty() ? std::string_view() : "\r\nAuthorization: ",
      headers.authorization,
      "\r\nx-request-id: ",
      headers.request_id,
      "\r\nContent-Length: ",
      length_text,
      "\r\n\r\n",
  });
}

}  // namespace autoglm::dispatch
