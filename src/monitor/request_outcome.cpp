#include "monitor/request_outcome.hpp"

namespace autoglm::monitor {

RequestOutcome outcome_for_status(unsigned status) {
  if (status >= 400 && status < 500) return RequestOutcome::kClientError;
  if (status == 502 || status == 503 || status == 504) return RequestOutcome::kGatewayError;
  if (status >= 500) return RequestOutcome::kServerError;
  return RequestOutcome::kSuccess;
}

bool is_local_origin_failure(RequestOutcome outcome) {
  return outcome == RequestOutcome::kConnectFailure || outcome == RequestOutcome::kTimeout ||
         outcome == RequestOutcome::kReset;
}

bool is_gateway_failure(RequestOutcome outcome) {
  return outcome == RequestOutcome::kGatewayError || is_local_origin_failure(outcome);
}

bool is_node_failure(RequestOutcome outcome) {
  return outcome == RequestOutcome::kServerError || is_gateway_failure(outcome);
}

std::string_view outcome_name(RequestOutcome outcome) {
  switch (outcome) {
    case RequestOutcome::kSuccess:
      return "success";
    case RequestOutcome::kClientError:
      return "client_error";
    case RequestOutcome::kServerError:
      return "server_error";
    case RequestOutcome::kGatewayError:
      return "gateway_error";
    case RequestOutcome::kConnectFailure:
      return "connect_failure";
    case RequestOutcome::kTimeout:
      return "timeout";
    case RequestOutcome::kReset:
      return "reset";
  }
  return "unknown";
}

}  // namespace autoglm::monitor
