// Replays a complete, non-streamed OpenAI answer as the Server-Sent Events stream the
// client would have got with "stream": true, so cached answers serve streamed requests.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::cache {

struct SseOptions {
  bool include_usage = false;  // the request's stream_options.include_usage
};

// "chat.completion" -> chat.completion.chunk events: per choice a role chunk, a content
// (and tool_calls) chunk and a finish_reason chunk; "text_completion" -> text_completion
// events with the text, then the finish_reason. With include_usage a last chunk carries
// "usage" and no choices. Every event is "data: <json>\n\n"; the stream ends with
// "data: [DONE]\n\n". kInvalidArgument for anything else (embeddings cannot stream).
core::Result<std::string> render_sse(std::string_view completion_json, const SseOptions& options);

}  // namespace autoglm::cache
