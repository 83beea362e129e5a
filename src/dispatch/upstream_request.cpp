#include "dispatch/upstream_request.hpp"

#include <charconv>
#include <cstring>

namespace autoglm::dispatch {

std::string upstream_head(const NodeState& node, std::string_view target,
                          const ForwardedHeaders& headers, std::size_t body_size) {
  char length[24];
  const std::string_view length_text(
      length, std::to_chars(length, length + sizeof length, body_size).ptr - length);
  const bool authorized = !headers.authorization.empty();
  // Sized once and copied piece by piece: an append per piece checks capacity each time.
  const std::string_view pieces[] = {
      "POST ",
      node.base_path,
      target,
      " HTTP/1.1\r\nHost: ",
      node.host,
      ":",
      node.port,
      "\r\nContent-Type: application/json\r\nAccept: ",
      headers.accept.empty() ? std::string_view("*/*") : headers.accept,
      authorized ? std::string_view("\r\nAuthorization: ") : std::string_view(),
      headers.authorization,
      "\r\nx-request-id: ",
      headers.request_id,
      "\r\nContent-Length: ",
      length_text,
      "\r\n\r\n",
  };
  std::size_t size = 0;
  for (const std::string_view piece : pieces) size += piece.size();
  std::string head(size, '\0');
  char* at = head.data();
  for (const std::string_view piece : pieces) {
    if (piece.empty()) continue;  // may have no data pointer: not one for memcpy
    std::memcpy(at, piece.data(), piece.size());
    at += piece.size();
  }
  return head;
}

}  // namespace autoglm::dispatch
