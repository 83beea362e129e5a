#include "http/errors.hpp"

#include <boost/json.hpp>

namespace autoglm::http {

using core::ErrorCode;

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUpstreamFailure: return 502;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kTimeout: return 504;
  }
  return 500;
}

const char* openai_error_type(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kPayloadTooLarge:
    case ErrorCode::kConflict: return "invalid_request_error";
    case ErrorCode::kUnauthenticated: return "authentication_error";
    case ErrorCode::kPermissionDenied: return "permission_error";
    case ErrorCode::kNotFound: return "not_found_error";
    case ErrorCode::kResourceExhausted: return "rate_limit_error";
    case ErrorCode::kUnavailable:
    case ErrorCode::kUpstreamFailure:
    case ErrorCode::kTimeout: return "service_unavailable_error";
    case ErrorCode::kOk:
    case ErrorCode::kInternal: break;
  }
  return "internal_error";
}

std::string openai_error_body(const core::Status& status) {
  boost::json::object error;
  error["message"] = status.message();
  error["type"] = openai_error_type(status.code());
  if (status.param().empty()) {
    error["param"] = nullptr;
  } else {
    error["param"] = status.param();
  }
  error["code"] = std::string(core::error_code_name(status.code()));
  boost::json::object body;
  body["error"] = std::move(error);
  return boost::json::serialize(body);
}

}  // namespace autoglm::http
