// /v1/embeddings as the simulated node speaks it: the request's inputs and their token
// count (the engine runs them as a prefill with one step), and a response of
// deterministic unit vectors derived from each input's text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::simnode {

struct EmbeddingRequest {
  std::string model;
  std::vector<std::string> inputs;  // each input's text (token-id inputs as their digits)
  std::int64_t prompt_tokens = 0;
  int dimensions = 256;  // the OpenAI `dimensions` field, 1..4096
};

// `input` is a string, an array of strings, an array of token ids, or an array of such
// arrays (OpenAI's four forms); at most 2048 inputs.
core::Result<EmbeddingRequest> parse_embedding_request(std::string_view body);

// {"object": "list", "data": [{"object": "embedding", "index", "embedding": [...]}],
//  "model", "usage": {"prompt_tokens", "total_tokens"}}. The same text always gives the
// same vector (seeded by `seed`), of length 1.
std::string embedding_body(const EmbeddingRequest& request, std::uint64_t seed);

}  // namespace autoglm::simnode
