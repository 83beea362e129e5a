// The OpenAI wire format as the simulated node speaks it: reading a chat or completion
// request into what the engine needs, and writing responses and stream chunks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::simnode {

struct SimRequest {
  bool chat = true;                 // /v1/chat/completions, else /v1/completions
  std::string model;
  std::int64_t prompt_tokens = 0;   // estimated from the messages or prompt
  std::int64_t max_tokens = 0;      // tokens to generate (the simnode ignores EOS)
  bool stream = false;
  bool include_usage = false;       // stream_options.include_usage
  std::uint64_t content_hash = 0;   // seeds the generated text
  // Chained hashes of the prompt text's 256-byte chunks (parse::PrefixHasher) and the bytes
  // of prompt text they were cut from: what --prefix-caching matches against its cache.
  std::vector<std::uint64_t> prefix_hashes;
  std::int64_t prompt_bytes = 0;
};

struct SimLimits {
  std::int64_t default_max_tokens = 128;
  std::int64_t max_model_len = 32768;
};

core::Result<SimRequest> parse_sim_request(std::string_view body, bool chat,
                                           const SimLimits& limits);

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

// Whole (non-streamed) answers.
std::string completion_body(const SimRequest& request, std::string_view id, std::int64_t created,
                            std::string_view text, const Usage& usage);

// One `data: ...\n\n` SSE event of a stream. `delta` is the new text; `first` adds the
// assistant role (chat); `finish` closes the choice with finish_reason "length".
std::string stream_event(const SimRequest& request, std::string_view id, std::int64_t created,
                         std::string_view delta, bool first, bool finish);
// The trailing usage chunk (choices: []) sent when stream_options.include_usage is set.
std::string usage_event(const SimRequest& request, std::string_view id, std::int64_t created,
                        const Usage& usage);

}  // namespace autoglm::simnode
