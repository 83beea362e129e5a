// Garbage in, Status out: the parser never crashes, hangs or accepts nonsense silently.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "parse/task_parser.hpp"

namespace autoglm::parse {
namespace {

using core::TaskKind;

const std::vector<std::string> kSeeds = {
    R"({"model":"glm-4","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"What is in this picture?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}}]}],"max_tokens":64,"stream":true,"priority":"batch","latency":"interactive"})",
    R"({"model":"m","prompt":["a b c",[1,2,3],[4]],"suffix":"z","max_tokens":16})",
    R"({"model":"e","input":[[1,2],[3]]})",
    R"({"kind":"chat","model":"m","priority":7,"preemptible":true,"payload":{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":"{}"}}]}]}})",
};

// Every kind of call on one input; each must return, ok or with a Status.
void parse_everything(std::string_view body, std::string_view header) {
  RequestMeta meta;
  meta.priority_header = header;
  meta.deadline_header = header;
  for (const TaskKind kind : {TaskKind::kChat, TaskKind::kCompletion, TaskKind::kEmbedding}) {
    auto r = parse_openai(kind, body, meta, {});
    if (!r) {
      ASSERT_FALSE(r.status().message().empty());
      ASSERT_NE(r.status().code(), core::ErrorCode::kOk);
    } else {
      ASSERT_GE(r->input_tokens, 0);
      ASSERT_GE(r->max_output_tokens, 0);
      ASSERT_LE(r->prefix_hashes.size(), 64u);
    }
  }
  auto r = parse_task_payload(body, meta, {});
  if (!r) {
    ASSERT_FALSE(r.status().message().empty());
  }
}

std::string mutate(std::string s, std::mt19937_64& rng) {
  static const std::string kTokens[] = {
      "{",       "}",       "[",    "]",    "\"",       ":",
      ",",       "null",    "true", "-1",   "1e999",    "18446744073709551616",
      "\\u0000", "\\ud800", "\xff", "\xc3", "\"type\"", "\"content\""};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const std::size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0:
        s.erase(at, 1 + rng() % 8);
        break;  // delete
      case 1:
        s.insert(at, kTokens[rng() % std::size(kTokens)]);
        break;  // insert a token
      case 2:
        s[at] = static_cast<char>(rng() % 256);
        break;  // flip a byte
      case 3:
        s.insert(at, s.substr(rng() % s.size(), rng() % 32));
        break;  // duplicate
    }
  }
  return s;
}

TEST(ParserRobustnessTest, MutatedRequestsNeverCrash) {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    const std::string body = mutate(kSeeds[round % kSeeds.size()], rng);
    parse_everything(body, round % 3 ? "" : body.substr(0, 12));
  }
}

TEST(ParserRobustnessTest, RandomBytesAreRejected) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 2000; ++round) {
    std::string body(rng() % 200, '\0');
    for (auto& c : body) c = static_cast<char>(rng() % 256);
    for (const TaskKind kind : {TaskKind::kChat, TaskKind::kCompletion, TaskKind::kEmbedding}) {
      auto r = parse_openai(kind, body, {}, {});
      ASSERT_FALSE(r.is_ok());
      ASSERT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
    }
  }
}

TEST(ParserRobustnessTest, DeepNestingIsRejectedNotRecursed) {
  for (const char* open : {"[", "{\"a\":"}) {
    std::string body;
    for (int i = 0; i < 100000; ++i) body += open;
    auto r = parse_openai(TaskKind::kChat, body, {}, {});
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
  }
  // Deep but legal inside a message: an ignored field, and tool schemas that are walked.
  std::string deep = R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":)";
  for (int i = 0; i < 60; ++i) deep += "[";
  for (int i = 0; i < 60; ++i) deep += "]";
  deep += "}";
  EXPECT_TRUE(parse_openai(TaskKind::kChat, deep, {}, {}).is_ok());
}

TEST(ParserRobustnessTest, WrongTypesEverywhereGiveStatuses) {
  const char* values[] = {"null", "true", "0",      "-1",   "1.5",  "\"\"",  "\"x\"",
                          "[]",   "{}",   "[null]", "[{}]", "[[]]", "1e308", "-0"};
  const char* fields[] = {
      "model",   "messages",   "prompt",  "input",  "max_tokens", "max_completion_tokens",
      "stream",  "priority",   "latency", "suffix", "tools",      "kind",
      "payload", "preemptible"};
  for (const char* f : fields) {
    for (const char* v : values) {
      const std::string body =
          std::string(
              R"({"model":"m","messages":[{"role":"user","content":"x"}],"prompt":"p","input":"i","kind":"chat","payload":{"prompt":"p"},")") +
          f + "\":" + v + "}";
      parse_everything(body, "");
    }
  }
}

TEST(ParserRobustnessTest, LargeBodiesSpillToTheHeap) {
  std::string body = R"({"model":"m","messages":[)";
  for (int i = 0; i < 2000; ++i) {
    body += std::string(i ? "," : "") + R"({"role":"user","content":"message number )" +
            std::to_string(i) + R"( with some words in it"})";
  }
  body += "]}";
  auto r = parse_openai(TaskKind::kChat, body, {}, {});
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_GT(r->input_tokens, 2000 * 10);
  EXPECT_EQ(r->prefix_hashes.size(), 64u);
}

}  // namespace
}  // namespace autoglm::parse
