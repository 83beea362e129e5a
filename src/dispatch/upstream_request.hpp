// The head of the request the proxy sends to a node, written straight into one string: the
// body (the client's, or a continuation) follows it unchanged in the same gathered write,
// so neither is first copied into a message whose fields each allocate.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dispatch/node_set.hpp"

namespace autoglm::dispatch {

// What the client's request passes on. Values come from its parsed headers, which hold no
// CR or LF.
struct ForwardedHeaders {
  std::string_view accept;         // empty: "*/*"
  std::string_view authorization;  // empty: none sent
  std::string_view request_id;
};

// "POST <base path><target> HTTP/1.1" with Host, Content-Type (JSON), Accept,
// Authorization, x-request-id and Content-Length, ending with the blank line.
std::string upstream_head(const NodeState& node, std::string_view target,
                          const ForwardedHeaders& headers, std::size_t body_size);

}  // namespace autoglm::dispatch
