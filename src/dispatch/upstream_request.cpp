#include "dispatch/upstream_request.hpp"

namespace autoglm::dispatch {

std::string upstream_head(const NodeState& node, std::string_view target,
                          const ForwardedHeaders& headers, std::size_t body_size) {
  std::string head;
  head.reserve(256 + node.base_path.size() + target.size() + headers.authorization.size());
  head.append("POST ").append(node.base_path).append(target).append(" HTTP/1.1\r\n");
  head.append("Host: ").append(node.host).append(":").append(node.port).append("\r\n");
  head.append("Content-Type: application/json\r\n");
  head.append("Accept: ")
      .append(headers.accept.empty() ? std::string_view("*/*") : headers.accept)
      .append("\r\n");
  if (!headers.authorization.empty()) {
    head.append("Authorization: ").append(headers.authorization).append("\r\n");
  }
  head.append("x-request-id: ").append(headers.request_id).append("\r\n");
  head.append("Content-Length: ").append(std::to_string(body_size)).append("\r\n\r\n");
  return head;
}

}  // namespace autoglm::dispatch
