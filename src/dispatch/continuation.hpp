// Mid-stream failover's request side: the request that asks another node to go on with
// an answer a failed node had begun streaming. Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::dispatch {

// OK when a streamed answer to `body` (an OpenAI chat request when `chat`, else a
// completion request) could be continued elsewhere; else why not: more than one choice
// (n or best_of above 1, a batch of prompts), tools that may stream tool calls, echo,
// or a pre-tokenised prompt. Checked before the stream starts, so a request that cannot
// resume pays nothing for following its events.
core::Status check_resumable(bool chat, std::string_view body);

struct Continuation {
  std::string body;                    // the request to send to the next node
  std::int64_t max_output_tokens = 0;  // what it may still generate; 0: the node's default
};

// The client's request `body`, resumed after `text` (what the client was sent so far, as
// `tokens_sent` output tokens): a chat request gets `text` as a final assistant message
// with continue_final_message=true and add_generation_prompt=false (vLLM and SGLang then
// extend that message instead of starting a new turn); a completion request gets `text`
// appended to its prompt. Every other field (sampling, seed, stop, stream_options) is
// kept; max_tokens and max_completion_tokens shrink by `tokens_sent`. Fails like
// check_resumable, and when those limits leave nothing to generate.
core::Result<Continuation> continuation_request(bool chat, std::string_view body,
                                                std::string_view text, std::int64_t tokens_sent);

}  // namespace autoglm::dispatch
