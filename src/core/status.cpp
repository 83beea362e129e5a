#include "core/status.hpp"

namespace autoglm::core {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kUpstreamFailure: return "upstream_failure";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kResourceExhausted: return "resource_exhausted";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnauthenticated: return "invalid_api_key";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace autoglm::core
