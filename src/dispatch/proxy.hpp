// Forwards one client request to one node and relays the answer, streaming SSE through
// chunk by chunk. Decides nothing about *where*: the caller picks the node.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dispatch/node_set.hpp"
#include "dispatch/upstream_pool.hpp"
#include "dispatch/upstream_stop.hpp"
#include "http/server.hpp"
#include "limits/timeouts.hpp"
#include "monitor/request_outcome.hpp"

namespace autoglm::dispatch {

enum class ProxyOutcome {
  kRelayed,          // the node's answer (any status) reached the client
  kNodeUnreachable,  // nothing was sent to the client: safe to try another node
  kBrokenStream,     // the node failed after the answer began; the client got an error event,
                     // or, for a Resumable forward, nothing yet (ProxyResult::stream_open)
  kClientGone,       // the client disconnected; the upstream request was abandoned
  kStopped,          // UpstreamStop asked before the node's answer began; nothing was sent
  kRefused,          // the node answered 408/429/502/503/504 and the caller may retry
                     // elsewhere; nothing was sent
};

// Statuses that say "not now, not here" rather than "bad request": retried once on
// another node when nothing has reached the client yet.
bool is_retryable_status(unsigned status);

struct ProxyOptions {
  std::chrono::milliseconds failure_backoff{2'000};  // a node that failed is skipped this long
};

struct ProxyResult {
  ProxyOutcome outcome = ProxyOutcome::kNodeUnreachable;
  unsigned status = 0;                                // the node's HTTP status when relayed
  std::chrono::steady_clock::duration first_byte{0};  // from forward() to the first body byte
  std::chrono::steady_clock::duration total{0};       // from forward() to the last byte
  std::int64_t output_tokens = 0;  // from the answer's usage, else counted stream events
  // What the request said about the node, for health, ejection and breakers.
  monitor::RequestOutcome node = monitor::RequestOutcome::kSuccess;
  // kBrokenStream of a Resumable forward: the client's stream is still open and the
  // caller ends it, after a continuation or with end_broken_stream().
  bool stream_open = false;
};

class StreamSplice;  // dispatch/stream_splice.hpp

// A streamed answer that may continue on another node if its node fails mid-way
// (upstream.routes.<route>.resume-on-failure).
struct Resumable {
  StreamSplice& splice;   // every event to the client passes through it
  std::string_view body;  // a continuation's request; empty: the client's own, first node
};

// Ends a stream whose node failed: an SSE error event, `data: [DONE]`, the end.
asio::awaitable<void> end_broken_stream(http::Exchange& exchange);

// Headers added to the client's answer besides x-autoglm-node.
using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

class Proxy {
 public:
  Proxy(NodeSet& nodes, UpstreamPool& pool, ProxyOptions options);

  // Sends `exchange`'s request body to node `index` as POST `upstream_target`, relaying the
  // answer with an x-autoglm-node header. A broken stream ends with an SSE error event and
  // `data: [DONE]`, never a hang. `timeouts`: connect; first_byte from sending to the first
  // byte of the answer (a stream's first event); total for the whole exchange; idle_stream
  // the longest wait for the next bytes of a streamed answer.
  // `on_first_byte` runs once when the node's answer begins (the task has started).
  // `stop`, when given, can take the request back until then (outcome kStopped).
  // `may_retry`: a retryable status (is_retryable_status) is not relayed but returned as
  // kRefused, so the caller can try another node.
  // `resumable`, when given, relays the stream's events through its splice and leaves the
  // client's stream open when the node fails mid-way. With a continuation body the
  // client's stream has begun already: only a 200 event stream is relayed into it (after
  // its first event), anything else is kRefused with nothing sent.
  asio::awaitable<ProxyResult> forward(http::Exchange& exchange, std::size_t index,
                                       std::string_view upstream_target,
                                       const limits::Timeouts& timeouts,
                                       const ExtraHeaders& extra_headers = {},
                                       const std::function<void()>& on_first_byte = {},
                                       UpstreamStop* stop = nullptr, bool may_retry = false,
                                       const Resumable* resumable = nullptr);

 private:
  NodeSet& nodes_;
  UpstreamPool& pool_;
  ProxyOptions options_;
};

}  // namespace autoglm::dispatch
