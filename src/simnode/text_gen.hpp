// Deterministic generated text for the simulated node: pseudo-words from a seeded
// generator, one word per output token, so answers are repeatable and countable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace autoglm::simnode {

class TextGenerator {
 public:
  explicit TextGenerator(std::uint64_t seed) : state_(seed ? seed : 0x9e3779b97f4a7c15ULL) {}

  // The next token's text: a space and a pseudo-word (the first token has no space).
  std::string next();

 private:
  std::uint64_t state_;
  bool first_ = true;
};

// A stable 64-bit hash (FNV-1a) used to seed generators from request content.
std::uint64_t stable_hash(std::string_view text, std::uint64_t seed = 0);

}  // namespace autoglm::simnode
