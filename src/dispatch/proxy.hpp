// Forwards one client request to one node and relays the answer, streaming SSE through
// chunk by chunk. Decides nothing about *where*: the caller picks the node.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "dispatch/node_set.hpp"
#include "dispatch/upstream_pool.hpp"
#include "dispatch/upstream_stop.hpp"
#include "http/server.hpp"

namespace autoglm::dispatch {

enum class ProxyOutcome {
  kRelayed,          // the node's answer (any status) reached the client
  kNodeUnreachable,  // nothing was sent to the client: safe to try another node
  kBrokenStream,     // the node failed after the answer began; the client got an error event
  kClientGone,       // the client disconnected; the upstream request was abandoned
  kStopped,          // UpstreamStop asked before the node's answer began; nothing was sent
};

struct ProxyOptions {
  std::chrono::milliseconds response_timeout{300'000};
  std::chrono::milliseconds failure_backoff{2'000};
};

struct ProxyResult {
  ProxyOutcome outcome = ProxyOutcome::kNodeUnreachable;
  unsigned status = 0;  // the node's HTTP status when relayed
  std::chrono::steady_clock::duration first_byte{0};  // from forward() to the first body byte
  std::chrono::steady_clock::duration total{0};       // from forward() to the last byte
  std::int64_t output_tokens = 0;  // from the answer's usage, else counted stream events
};

// Headers added to the client's answer besides x-autoglm-node.
using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

class Proxy {
 public:
  Proxy(NodeSet& nodes, UpstreamPool& pool, ProxyOptions options);

  // Sends `exchange`'s request body to node `index` as POST `upstream_target`, relaying the
  // answer with an x-autoglm-node header. A broken stream ends with an SSE error event and
  // `data: [DONE]`, never a hang.
  // `on_first_byte` runs once when the node's answer begins (the task has started).
  // `stop`, when given, can take the request back until then (outcome kStopped).
  asio::awaitable<ProxyResult> forward(http::Exchange& exchange, std::size_t index,
                                       std::string_view upstream_target,
                                       const ExtraHeaders& extra_headers = {},
                                       const std::function<void()>& on_first_byte = {},
                                       UpstreamStop* stop = nullptr);

 private:
  NodeSet& nodes_;
  UpstreamPool& pool_;
  ProxyOptions options_;
};

}  // namespace autoglm::dispatch
