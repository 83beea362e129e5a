// The request stream of a load run: which request is sent when, with how many prompt and
// output tokens, built from a sim::Workload (a trace or Poisson/Gamma arrivals), and the
// OpenAI request body for each. Pure and deterministic: a workload and options give the
// same stream, byte for byte, on every run and for every system under test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/workload.hpp"

namespace autoglm::loadgen {

struct PlannedRequest {
  double send_at_s = 0;            // from the run's start
  std::int64_t input_tokens = 1;   // prompt tokens, as the simnode and vLLM count a chat
  std::int64_t output_tokens = 1;  // max_tokens
  // Chained hashes of the prompt's 512-token blocks (Mooncake's hash_ids): requests with
  // equal leading hashes get equal leading prompt text.
  std::vector<std::uint64_t> prefix_hashes;
  std::uint64_t seed = 0;  // the text after the shared blocks
  bool warmup = false;     // sent, but not measured
};

struct PlanOptions {
  std::size_t warmup = 0;             // the first this many requests are warm-up
  std::size_t max_requests = 0;       // measured requests to keep (0: the whole workload)
  std::int64_t max_input_tokens = 0;  // clamp longer prompts (0: no clamp)
  bool closed_loop = false;           // every send time 0: the concurrency limit paces the run
  std::uint64_t seed = 1;
};

std::vector<PlannedRequest> plan_requests(const sim::Workload& workload,
                                          const PlanOptions& options);

// `tokens` tokens of pseudo-words (" abcd": one token each for cl100k-like tokenizers and
// for parse::estimate_tokens). Block i of `prefix_hashes` is 512 words drawn from that
// hash, so equal hashes give equal text; the rest is drawn from `seed`.
std::string prompt_text(std::int64_t tokens, const std::vector<std::uint64_t>& prefix_hashes,
                        std::uint64_t seed);

struct BodyOptions {
  std::string model = "autoglm-sim-8b";
  bool chat = true;        // /v1/chat/completions, else /v1/completions
  bool stream = true;      // with stream_options.include_usage
  bool ignore_eos = true;  // vLLM's extension: generate exactly max_tokens
};

// The JSON body. A chat's one user message holds input_tokens - 6 tokens: OpenAI's chat
// format adds 3 per message and 3 for the reply, so the server counts input_tokens.
std::string request_body(const PlannedRequest& request, const BodyOptions& options);

}  // namespace autoglm::loadgen
