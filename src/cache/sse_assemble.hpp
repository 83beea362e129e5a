// Rebuilds the complete, non-streamed OpenAI answer from the Server-Sent Events a node
// streamed (the inverse of render_sse), so a streamed cache miss is stored like a plain
// one and later served either way. Pure function; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::cache {

// chat.completion.chunk events -> one "chat.completion" (per choice: role, the content and
// refusal deltas joined, finish_reason); text_completion events -> one "text_completion";
// a usage chunk's usage is kept. kInvalidArgument when the stream is not one to store:
// no `data: [DONE]`, an error event, tool-call deltas (not merged here), an event that is
// not JSON, or a choice that never got a finish_reason.
core::Result<std::string> assemble_sse(std::string_view sse);

}  // namespace autoglm::cache
