// Following a stream so it can continue on another node: only whole events reach the
// client, the text and tokens sent are known, and a continuation reads as the same stream.
#include "dispatch/stream_splice.hpp"

#include <gtest/gtest.h>

namespace autoglm::dispatch {
namespace {

std::string chat_event(std::string_view id, std::string_view delta,
                       std::string_view finish = "null") {
  return "data: {\"id\":\"" + std::string(id) +
         "\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"m\","
         "\"choices\":[{\"index\":0,\"delta\":" +
         std::string(delta) + ",\"finish_reason\":" + std::string(finish) + "}]}\n\n";
}

TEST(StreamSplice, TheFirstStreamPassesUnchangedAndItsTextIsKept) {
  StreamSplice splice(true);
  const std::string events = chat_event("a", R"({"role":"assistant","content":""})") +
                             chat_event("a", R"({"content":"Hello"})") +
                             chat_event("a", R"({"content":" world"})");
  EXPECT_EQ(splice.relay(events), events);
  EXPECT_EQ(splice.text(), "Hello world");
  EXPECT_EQ(splice.tokens_sent(), 2);
  EXPECT_FALSE(splice.done());
}

TEST(StreamSplice, AFinishReasonMeansTheAnswerIsWhole) {
  StreamSplice splice(true);
  splice.relay(chat_event("a", R"({"content":"Hi"})"));
  EXPECT_FALSE(splice.finished());
  splice.relay(chat_event("a", "{}", "\"stop\""));
  EXPECT_TRUE(splice.finished());
  EXPECT_FALSE(splice.done());
}

TEST(StreamSplice, AnEventCutByTheFailureIsNeverSent) {
  StreamSplice splice(true);
  const std::string whole = chat_event("a", R"({"content":"Hi"})");
  const std::string next = chat_event("a", R"({"content":" there"})");
  EXPECT_EQ(splice.relay(whole + next.substr(0, 20)), whole);
  EXPECT_EQ(splice.relay(next.substr(20, 10)), "");  // still not whole
  EXPECT_EQ(splice.text(), "Hi");
  splice.begin_continuation("b");  // the node died: its half event is gone
  const std::string out = splice.relay(chat_event("b", R"({"content":" there"})"));
  EXPECT_EQ(out.substr(out.find("\n\n") + 2), next) << out;  // after the comment: one whole event
  EXPECT_EQ(splice.text(), "Hi there");
}

TEST(StreamSplice, EventsSplitAnywhereAreReassembled) {
  StreamSplice splice(false);
  const std::string events =
      "data: "
      "{\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"ab\"}]}"
      "\r\n\r\ndata: [DONE]\r\n\r\n";
  std::string out;
  for (char c : events) out += splice.relay(std::string_view(&c, 1));
  EXPECT_EQ(out, events);
  EXPECT_EQ(splice.text(), "ab");
  EXPECT_TRUE(splice.done());
}

TEST(StreamSplice, AContinuationReadsAsTheSameStream) {
  StreamSplice splice(true);
  splice.relay(chat_event("first", R"({"role":"assistant","content":""})") +
               chat_event("first", R"({"content":"one"})"));
  splice.begin_continuation("node-b");
  std::string second = chat_event("second", R"({"role":"assistant","content":""})");
  second.replace(second.find("\"created\":7"), 11, "\"created\":9");
  EXPECT_EQ(splice.relay(second), "");  // the role-only opening is dropped
  const std::string out = splice.relay(chat_event("second", R"({"content":" two"})"));
  EXPECT_EQ(out,
            ": autoglm-resumed 1 node=node-b after_tokens=1\n\n"
            "data: {\"id\":\"first\",\"object\":\"chat.completion.chunk\",\"created\":7,"
            "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" two\"},"
            "\"finish_reason\":null}]}\n\n");
  EXPECT_EQ(splice.text(), "one two");
  EXPECT_EQ(splice.tokens_sent(), 2);
  EXPECT_EQ(splice.resumes(), 1);
  const std::string finish = splice.relay(chat_event("second", "{}", "\"length\""));
  EXPECT_NE(finish.find("\"finish_reason\":\"length\""), std::string::npos) << finish;
  EXPECT_EQ(splice.relay("data: [DONE]\n\n"), "data: [DONE]\n\n");
  EXPECT_TRUE(splice.done());
}

TEST(StreamSplice, AContinuationsUsageCountsTheTokensSentBefore) {
  StreamSplice splice(false);
  splice.relay(
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"text\":\"a\"}]}\n\n"
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"text\":\" b\"}]}\n\n");
  splice.begin_continuation("b");
  const std::string out = splice.relay(
      "data: {\"id\":\"d\",\"choices\":[],"
      "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n");
  EXPECT_NE(out.find("\"completion_tokens\":5,\"total_tokens\":17"), std::string::npos) << out;
  EXPECT_NE(out.find("\"id\":\"c\""), std::string::npos) << out;
}

TEST(StreamSplice, CommentsAndUnknownEventsPassThrough) {
  StreamSplice splice(true);
  splice.begin_continuation("b");
  EXPECT_EQ(splice.relay(": keep-alive\n\n"),
            ": autoglm-resumed 1 node=b after_tokens=0\n\n: keep-alive\n\n");
  EXPECT_EQ(splice.relay("data: not json\n\n"), "data: not json\n\n");
}

}  // namespace
}  // namespace autoglm::dispatch
