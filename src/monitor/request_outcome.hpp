// How one request to a node ended, as outlier detection and circuit breakers see it.
// The one place that decides which answers are the node's fault: 4xx never are.
#pragma once

#include <string_view>

namespace autoglm::monitor {

enum class RequestOutcome {
  kSuccess,         // 1xx-3xx: the node served it
  kClientError,     // 4xx (400, 404, 408, 413, 429...): the request's fault, never the node's
  kServerError,     // 5xx other than 502/503/504
  kGatewayError,    // 502, 503, 504 from the node
  kConnectFailure,  // could not connect (refused, unreachable, connect timeout)
  kTimeout,         // connected, but no answer within the deadline
  kReset,           // the connection broke mid-answer
};

// The outcome of an HTTP answer with `status` (100..599).
RequestOutcome outcome_for_status(unsigned status);

// Whether the outcome counts against the node (5xx or a local-origin failure).
bool is_node_failure(RequestOutcome outcome);
// Envoy's "gateway failure": 502/503/504 and every local-origin failure.
bool is_gateway_failure(RequestOutcome outcome);
// Failures seen by the gateway itself (nothing came back from the node).
bool is_local_origin_failure(RequestOutcome outcome);

std::string_view outcome_name(RequestOutcome outcome);

}  // namespace autoglm::monitor
