// Counts the output tokens of an answer as it passes through, for the feedback loop:
// the `completion_tokens` of a usage object when the answer carries one, else the number
// of SSE data events (one token per event, as vLLM and SGLang stream), less the closing ones.
// Works on arbitrary chunk boundaries. Not thread-safe: one per answer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace autoglm::dispatch {

class TokenCounter {
 public:
  void feed(std::string_view bytes);
  std::int64_t count() const;

 private:
  std::string tail_;  // last bytes of the previous chunk, so patterns can span chunks
  std::string text_;  // tail_ + the chunk being read
  std::int64_t events_ = 0;
  std::int64_t usage_tokens_ = -1;
};

}  // namespace autoglm::dispatch
