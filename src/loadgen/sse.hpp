// Server-sent events as OpenAI-compatible servers stream them: an incremental parser that
// turns received bytes into event payloads, and a reader of one chunk's payload (a token?
// the usage? [DONE]?). Pure; no I/O. One parser per stream, used by one coroutine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autoglm::loadgen {

// The WHATWG event-stream format, reduced to what a client of an OpenAI stream needs: the
// `data` of each event. Lines end in \n, \r\n or \r (also when split across feeds); an
// empty line ends an event; several `data:` lines of one event are joined by \n; comments
// (":") and other fields are skipped. An event not closed by an empty line when the stream
// ends is dropped, as the format says.
class SseParser {
 public:
  // Appends the payloads of the events completed by `bytes` to `out`.
  void feed(std::string_view bytes, std::vector<std::string>& out);

 private:
  void line(std::string_view text, std::vector<std::string>& out);

  std::string partial_;  // a line not yet terminated
  std::string data_;     // the current event's data so far
  bool has_data_ = false;
  bool last_was_cr_ = false;  // a \r ended the last feed: a leading \n is its pair
};

// What one event payload of a chat or completion stream says.
struct ChunkInfo {
  bool done = false;   // "[DONE]"
  bool token = false;  // carries generated text (delta.content or text non-empty)
  bool error = false;  // an {"error": ...} object, or not JSON at all
  std::optional<std::int64_t> completion_tokens;  // from a usage object
};

ChunkInfo read_chunk(std::string_view data);

// A whole (non-streamed) completion body: usage.completion_tokens, if any; nullopt when it
// is not a completion (no choices), which counts as a failure.
struct CompletionInfo {
  bool ok = false;
  std::int64_t completion_tokens = 0;
};
CompletionInfo read_completion(std::string_view body);

}  // namespace autoglm::loadgen
