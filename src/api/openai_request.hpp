// The fields of an OpenAI request body the gateway needs before it picks a node:
// which model, whether to stream. Validated precisely; the body itself is forwarded as is.
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::api {

enum class Endpoint { kChatCompletions, kCompletions };

struct OpenAiRequest {
  std::string model;
  bool stream = false;
};

core::Result<OpenAiRequest> parse_openai_request(std::string_view body, Endpoint endpoint);

}  // namespace autoglm::api
