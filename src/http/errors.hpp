// The one mapping from core::Status to an HTTP status and an OpenAI-style error body:
// {"error": {"message": ..., "type": ..., "param": ..., "code": ...}}.
#pragma once

#include <string>

#include "core/status.hpp"

namespace autoglm::http {

int http_status_for(core::ErrorCode code);

// OpenAI's `type` for the error (invalid_request_error, not_found_error, ...).
const char* openai_error_type(core::ErrorCode code);

// The JSON body, serialised.
std::string openai_error_body(const core::Status& status);

}  // namespace autoglm::http
