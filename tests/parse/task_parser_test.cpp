#include "parse/task_parser.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "parse/token_estimator.hpp"

namespace autoglm::parse {
namespace {

using core::LatencyClass;
using core::Modality;
using core::PriorityClass;
using core::TaskKind;
using core::TaskSpec;

TaskSpec chat(const std::string& body, const RequestMeta& meta = {},
              const ParseOptions& options = {}) {
  auto r = parse_openai(TaskKind::kChat, body, meta, options);
  EXPECT_TRUE(r.is_ok()) << (r ? "" : r.status().message());
  return r ? std::move(r).value() : TaskSpec{};
}

const std::string kHello = R"({"model":"glm-4","messages":[{"role":"user","content":"hello"}]})";

TEST(ParseChatTest, AMinimalRequestGetsEveryDefault) {
  const TaskSpec t = chat(kHello);
  EXPECT_EQ(t.id, 0u);
  EXPECT_EQ(t.kind, TaskKind::kChat);
  EXPECT_EQ(t.model, "glm-4");
  EXPECT_EQ(t.tenant, "");
  EXPECT_EQ(t.max_output_tokens, 256);
  EXPECT_EQ(t.modality, Modality::kText);
  EXPECT_EQ(t.priority_class, PriorityClass::kStandard);
  EXPECT_EQ(t.priority_level, 5);
  EXPECT_EQ(t.latency, LatencyClass::kInteractive);
  EXPECT_FALSE(t.deadline.has_value());
  EXPECT_FALSE(t.stream);
  EXPECT_FALSE(t.preemptible);
  EXPECT_TRUE(t.prefix_hashes.empty());  // shorter than one chunk
}

// Fields are read in one pass over the object (parse/json_pick.hpp); a key given twice
// counts once, with its last value, in the body and in a message.
TEST(ParseChatTest, ARepeatedKeyTakesItsLastValue) {
  const TaskSpec t = chat(R"({"model":"first","max_tokens":3,"model":"glm-4","max_tokens":7,)"
                          R"("messages":[{"role":"user","content":"ignored","content":"hello"}]})");
  EXPECT_EQ(t.model, "glm-4");
  EXPECT_EQ(t.max_output_tokens, 7);
  EXPECT_EQ(t.input_tokens, chat(kHello).input_tokens);
}

TEST(ParseChatTest, InputTokensFollowTheChatFormat) {
  // 3 per message + 1 for the role + the content, and 3 to prime the reply.
  EXPECT_EQ(chat(kHello).input_tokens, 3 + 1 + 1 + 3);
  const std::string question = "How many GPUs does the cluster have right now?";
  const TaskSpec t = chat(R"({"model":"m","messages":[
      {"role":"system","content":"You are terse."},
      {"role":"user","content":")" +
                          question + R"(","name":"ana"}]})");
  EXPECT_EQ(t.input_tokens, 3 + (4 + estimate_tokens("You are terse.")) +
                                (4 + estimate_tokens(question) + 1 + estimate_tokens("ana")));
}

TEST(ParseChatTest, ContentPartsAreCountedAndSetTheModality) {
  const TaskSpec text = chat(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"text","text":"hello"},{"type":"text","text":"again"}]}]})");
  EXPECT_EQ(text.modality, Modality::kText);
  EXPECT_EQ(text.input_tokens, 3 + 1 + 1 + 1 + 3);

  const TaskSpec vision = chat(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"text","text":"what is this?"},
      {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]})");
  EXPECT_EQ(vision.modality, Modality::kVision);
  EXPECT_EQ(vision.input_tokens, 3 + 1 + estimate_tokens("what is this?") + 765 + 3);

  const TaskSpec low = chat(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]}]})");
  EXPECT_EQ(low.input_tokens, 3 + 1 + 85 + 3);

  const TaskSpec speech = chat(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"input_audio","input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"}}]}]})");
  EXPECT_EQ(speech.modality, Modality::kSpeech);

  const TaskSpec both = chat(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
      {"type":"input_audio","input_audio":{"data":"AAAA","format":"mp3"}}]}]})");
  EXPECT_EQ(both.modality, Modality::kSpeech);
}

TEST(ParseChatTest, ImageAndAudioCostsAreConfigurable) {
  ParseOptions options;
  options.image_tokens = 1000;
  options.audio_bytes_per_token = 3;
  const TaskSpec t = chat(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"u"}},
      {"type":"input_audio","input_audio":{"data":"AAAAAAAA","format":"wav"}}]}]})",
                          {}, options);
  // 8 base64 characters are 6 bytes: 1 + 6 / 3 tokens.
  EXPECT_EQ(t.input_tokens, 3 + 1 + 1000 + 3 + 3);
}

TEST(ParseChatTest, ToolCallsAndToolSchemasAddTokens) {
  const std::string base = R"({"model":"m","messages":[{"role":"user","content":"weather?"},
      {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
        "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
      {"role":"tool","tool_call_id":"c1","content":"18C and sunny"}])";
  const TaskSpec plain = chat(base + "}");
  const TaskSpec with_tools = chat(base + R"(,"tools":[{"type":"function","function":{
      "name":"get_weather","description":"Current weather for a city",
      "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]})");
  EXPECT_GT(plain.input_tokens, 3 * 4 + 3 + 3);
  EXPECT_GT(with_tools.input_tokens, plain.input_tokens + 10);
}

TEST(ParseChatTest, MaxOutputTokensPrecedence) {
  ParseOptions options;
  options.default_max_output_tokens = 100;
  options.model_max_output_tokens["big"] = 4096;
  const auto max_out = [&](const std::string& model, const std::string& extra) {
    return chat(R"({"model":")" + model + R"(","messages":[{"role":"user","content":"x"}])" +
                    extra + "}",
                {}, options)
        .max_output_tokens;
  };
  EXPECT_EQ(max_out("small", ""), 100);
  EXPECT_EQ(max_out("big", ""), 4096);
  EXPECT_EQ(max_out("big", R"(,"max_tokens":64)"), 64);
  EXPECT_EQ(max_out("big", R"(,"max_tokens":64,"max_completion_tokens":32)"), 32);
  EXPECT_EQ(max_out("big", R"(,"max_tokens":null)"), 4096);
  EXPECT_EQ(max_out("big", R"(,"max_tokens":2147483647)"), 2147483647);
}

TEST(ParseChatTest, StreamIsABoolean) {
  EXPECT_TRUE(
      chat(R"({"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]})").stream);
  EXPECT_FALSE(
      chat(R"({"model":"m","stream":false,"messages":[{"role":"user","content":"x"}]})").stream);
  EXPECT_FALSE(
      chat(R"({"model":"m","stream":null,"messages":[{"role":"user","content":"x"}]})").stream);
}

TEST(ParseChatTest, TenantComesFromTheRequestElseTheDefault) {
  ParseOptions options;
  options.default_tenant = "public";
  EXPECT_EQ(chat(kHello, {}, options).tenant, "public");
  RequestMeta meta;
  meta.tenant = "acme";
  EXPECT_EQ(chat(kHello, meta, options).tenant, "acme");
}

TEST(ParseChatTest, DeadlineComesFromTheHeader) {
  RequestMeta meta;
  meta.deadline_header = "1500";
  EXPECT_EQ(chat(kHello, meta).deadline, std::chrono::milliseconds(1500));
  meta.deadline_header = " 20 ";
  EXPECT_EQ(chat(kHello, meta).deadline, std::chrono::milliseconds(20));
  meta.deadline_header = "2592000000";  // 30 days, the longest
  EXPECT_EQ(chat(kHello, meta).deadline, std::chrono::milliseconds(2592000000LL));
  meta.deadline_header = "";
  EXPECT_FALSE(chat(kHello, meta).deadline.has_value());
}

TEST(ParseChatTest, AssistantTurnsMayHaveNoContent) {
  const TaskSpec t = chat(R"({"model":"m","messages":[{"role":"user","content":"x"},
      {"role":"assistant"},{"role":"assistant","content":null},{"role":"user","content":"y"}]})");
  EXPECT_EQ(t.input_tokens, 3 + 4 * 4 + 2);
}

std::string conversation(const std::string& system, const std::string& last_question) {
  return R"({"model":"m","messages":[{"role":"system","content":")" + system +
         R"("},{"role":"user","content":"What does the scheduler do with a request that has a deadline header and a batch priority class?"},{"role":"assistant","content":"It keeps the batch class for queueing but orders by deadline inside it, and rejects the request early if the deadline cannot be met by any node."},{"role":"user","content":")" +
         last_question + R"("}]})";
}

const std::string kSystem =
    "You are the operations assistant of a GPU inference cluster. Answer precisely, cite the "
    "metric you rely on, prefer short lists, and say so when the data is not enough to decide.";

TEST(ParseChatTest, SameSystemPromptAndHistoryShareLeadingHashes) {
  // About 800 bytes of shared system prompt and history (3 chunks), then 300 bytes of a
  // different question (the 4th chunk).
  const std::string system = kSystem + " " + kSystem + " " + kSystem;
  const TaskSpec a = chat(conversation(system, std::string(300, 'a')));
  const TaskSpec b = chat(conversation(system, std::string(300, 'b')));
  ASSERT_EQ(a.prefix_hashes.size(), 4u);
  ASSERT_EQ(a.prefix_hashes.size(), b.prefix_hashes.size());
  const std::size_t n = a.prefix_hashes.size();
  for (std::size_t i = 0; i + 1 < n; ++i) EXPECT_EQ(a.prefix_hashes[i], b.prefix_hashes[i]) << i;
  EXPECT_NE(a.prefix_hashes[n - 1], b.prefix_hashes[n - 1]);

  const TaskSpec other =
      chat(conversation("You are a pirate. " + kSystem, "And what if no node serves the model?"));
  ASSERT_FALSE(other.prefix_hashes.empty());
  EXPECT_NE(other.prefix_hashes[0], a.prefix_hashes[0]);
}

TEST(ParseChatTest, RolesArePartOfThePrefix) {
  const std::string text(600, 'w');
  const TaskSpec as_user =
      chat(R"({"model":"m","messages":[{"role":"user","content":")" + text + "\"}]}");
  const TaskSpec as_system =
      chat(R"({"model":"m","messages":[{"role":"system","content":")" + text + "\"}]}");
  ASSERT_EQ(as_user.prefix_hashes.size(), 2u);
  EXPECT_NE(as_user.prefix_hashes[0], as_system.prefix_hashes[0]);
}

TEST(ParseChatTest, PrefixHashingFollowsTheOptions) {
  ParseOptions options;
  options.prefix_chunk_bytes = 64;
  options.max_prefix_blocks = 3;
  EXPECT_EQ(chat(conversation(kSystem, "q"), {}, options).prefix_hashes.size(), 3u);
  options.prefix_chunk_bytes = 0;
  EXPECT_TRUE(chat(conversation(kSystem, "q"), {}, options).prefix_hashes.empty());
}

TEST(ParseChatTest, UnknownFieldsAreIgnored) {
  const TaskSpec t = chat(R"({"model":"m","temperature":0.2,"user":"u1","n":2,"seed":7,
      "logit_bias":{"50256":-100},"messages":[{"role":"user","content":"x","extra":[1,2]}]})");
  EXPECT_EQ(t.model, "m");
}

}  // namespace
}  // namespace autoglm::parse
