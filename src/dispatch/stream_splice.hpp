// Mid-stream failover's stream side: follows a streamed OpenAI answer event by event so
// it can go on from another node, and makes the next node's events read as more of the
// same stream. Not thread-safe: one per streamed request, used by its coroutine only.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace autoglm::dispatch {

class StreamSplice {
 public:
  // `chat`: chat.completion.chunk events (text in delta.content), else text_completion
  // events (text in text).
  explicit StreamSplice(bool chat) : chat_(chat) {}

  // The next bytes from the node streaming now, in pieces of any size. Returns what to
  // send the client: whole events only, so an event cut by the node's failure is never
  // sent. The first node's events pass unchanged. A continuation's carry the first
  // stream's id and created, lose their role (the client has it), an event left empty by
  // that is dropped, and a usage object counts the tokens sent before it as output too.
  std::string relay(std::string_view bytes);

  // What relay() sees next is a continuation from node `node_id`. Its first output starts
  // with an SSE comment (": autoglm-resumed ...") that clients skip and people can read.
  void begin_continuation(std::string_view node_id);

  const std::string& text() const { return text_; }  // choice 0's text sent so far
  // Events with text sent so far: the output tokens, as vLLM and SGLang stream one per event.
  std::int64_t tokens_sent() const { return tokens_; }
  int resumes() const { return resumes_; }
  bool done() const { return done_; }  // `data: [DONE]` was sent
  // Choice 0's finish_reason was sent: the answer is whole even if [DONE] never came.
  bool finished() const { return finished_; }

 private:
  std::string event(std::string_view raw);  // one whole event -> what to send for it
  // A continuation's chunk made to read as the first stream's; false: drop it.
  bool rewrite(boost::json::object& chunk) const;
  void record(const boost::json::object& chunk);  // text and tokens, the first id

  bool chat_;
  std::string pending_;  // the start of an event not yet whole
  std::string comment_;  // sent before the continuation's first event
  std::string text_;
  std::int64_t tokens_ = 0;
  std::int64_t tokens_before_ = 0;  // tokens_ when the current continuation began
  std::string id_;                  // the first stream's, once seen
  std::string created_;             // its `created`, as JSON text
  int resumes_ = 0;
  bool done_ = false;
  bool finished_ = false;
};

}  // namespace autoglm::dispatch
