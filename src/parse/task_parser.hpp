// The task parsing engine's entry points: an OpenAI-style request body (chat, completions,
// embeddings) or an async task payload, plus its scheduling headers, into a TaskSpec.
// Pure functions: no I/O, no clock, no shared state; safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "core/task.hpp"

namespace autoglm::parse {

// What the parser falls back on when a request leaves something out. Built once from
// configuration and shared read-only.
struct ParseOptions {
  // max_output_tokens when the body gives neither max_completion_tokens nor max_tokens:
  // the model's entry in model_max_output_tokens, else default_max_output_tokens.
  std::int64_t default_max_output_tokens = 256;
  std::map<std::string, std::int64_t, std::less<>> model_max_output_tokens;
  // TaskSpec::tenant when RequestMeta::tenant is empty.
  std::string default_tenant;
  // Priority class when neither the header nor the body names one: the tenant's entry in
  // tenant_default_class, else default_class.
  core::PriorityClass default_class = core::PriorityClass::kStandard;
  std::map<std::string, core::PriorityClass, std::less<>> tenant_default_class;
  // Prefix hashing (see prefix_hash.hpp): chunk size in bytes (0 disables it) and the
  // most block hashes kept.
  std::size_t prefix_chunk_bytes = 256;
  int max_prefix_blocks = 64;
  // Input tokens charged for what the parser cannot measure as text.
  std::int64_t image_tokens = 765;            // per image; 85 for "detail": "low"
  std::int64_t audio_bytes_per_token = 1600;  // of decoded audio (~10 tokens/s at 16 kB/s)
};

// What the transport knows about a request, as given (header values unparsed, "" when
// absent). The views must outlive the call only.
struct RequestMeta {
  std::string_view priority_header;  // x-autoglm-priority
  std::string_view deadline_header;  // x-autoglm-deadline-ms
  std::string_view tenant;           // from authentication; "" for ParseOptions::default_tenant
  // The tenant's default class (from authentication); when set it wins over ParseOptions'
  // defaults, and the header and body still win over it.
  std::optional<core::PriorityClass> default_class;
};

// An OpenAI request body for `kind` (kChat: /v1/chat/completions, kCompletion:
// /v1/completions, kEmbedding: /v1/embeddings) into a TaskSpec with id 0.
//
// Where each field comes from:
//   model              body "model" (required, non-empty string)
//   tenant             meta.tenant, else options.default_tenant
//   input_tokens       estimated from messages / prompt / input (see docs/parsing.md)
//   max_output_tokens  "max_completion_tokens", else "max_tokens" (1..2^31-1), else the
//                      model's default, else options.default_max_output_tokens; 0 for
//                      embeddings
//   modality           speech if any input_audio part, else vision if any image_url part
//   priority           header x-autoglm-priority > body "priority" > meta.default_class
//                      > tenant default class > options.default_class; a class name or a level 0-9
//   latency            body "latency" ("interactive" | "batch"), else kBatch for the batch
//                      class, else kInteractive
//   deadline           header x-autoglm-deadline-ms (1..30 days in milliseconds)
//   stream             body "stream" (bool)
//   preemptible        false: live requests are never preempted
//   prefix_hashes      chained chunk hashes of role + content of each message in order,
//                      or of the prompt; none for embeddings
// Every malformed field is a kInvalidArgument Status whose param names it
// ("messages[2].content", "x-autoglm-priority"). Never throws for any body or header
// (std::bad_alloc aside).
core::Result<core::TaskSpec> parse_openai(core::TaskKind kind, std::string_view body,
                                          const RequestMeta& meta, const ParseOptions& options);

// An async task: {"kind": "chat"|"completion"|"embedding", "model": "...", "priority": ...,
// "latency": ..., "preemptible": bool, "payload": {<the OpenAI body for kind>}}. The payload
// is parsed as parse_openai would ("model", "priority" and "latency" may sit at the top or
// in the payload; the top wins, two different models are an error). The TaskSpec has kind
// kAsync, latency kBatch unless "latency" says otherwise, stream false, and preemptible as
// given (default false). Errors inside the payload name "payload.<field>".
core::Result<core::TaskSpec> parse_task_payload(std::string_view body, const RequestMeta& meta,
                                                const ParseOptions& options);

// What one media part of a chat message costs in input tokens: an image_url part
// options.image_tokens (85 with "detail": "low"), an input_audio part 1 + its decoded bytes
// / options.audio_bytes_per_token. The simulated node charges the same for its prefill.
std::int64_t image_part_tokens(bool low_detail, const ParseOptions& options);
std::int64_t audio_part_tokens(std::size_t base64_chars, const ParseOptions& options);

}  // namespace autoglm::parse
