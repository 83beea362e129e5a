// Every error a request can earn, with the field it names and what it says.
#include <gtest/gtest.h>

#include <string>

#include "parse/task_parser.hpp"

namespace autoglm::parse {
namespace {

using core::ErrorCode;
using core::TaskKind;

struct ErrorCase {
  const char* name;
  TaskKind kind;
  std::string body;
  const char* param;    // the Status param
  const char* message;  // a substring of the message
  const char* priority_header = "";
  const char* deadline_header = "";
};

class ParseErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrorTest, NamesTheFieldAndWhatWasExpected) {
  const ErrorCase& c = GetParam();
  RequestMeta meta;
  meta.priority_header = c.priority_header;
  meta.deadline_header = c.deadline_header;
  auto r = c.kind == TaskKind::kAsync ? parse_task_payload(c.body, meta, {})
                                      : parse_openai(c.kind, c.body, meta, {});
  ASSERT_FALSE(r.is_ok()) << "accepted: " << c.body;
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().param(), c.param);
  EXPECT_NE(r.status().message().find(c.message), std::string::npos)
      << "message: " << r.status().message();
}

const std::string kMessages = R"("messages":[{"role":"user","content":"hi"}])";
const std::string kOk = R"({"model":"m",)" + kMessages + "}";
std::string chat_with(const std::string& fields) {
  return R"({"model":"m",)" + kMessages + "," + fields + "}";
}
std::string messages(const std::string& list) { return R"({"model":"m","messages":)" + list + "}"; }

INSTANTIATE_TEST_SUITE_P(
    Body, ParseErrorTest,
    testing::Values(
        ErrorCase{"EmptyBody", TaskKind::kChat, "", "", "the request body is empty"},
        ErrorCase{"NotJson", TaskKind::kChat, "{\"model\": ", "", "not valid JSON"},
        ErrorCase{"TrailingGarbage", TaskKind::kChat, kOk + "x", "", "not valid JSON"},
        ErrorCase{"InvalidUtf8", TaskKind::kChat, "{\"model\":\"m\xff\"}", "", "not valid JSON"},
        ErrorCase{"TooDeep", TaskKind::kChat, std::string(100, '[') + std::string(100, ']'), "",
                  "nests deeper than 64 levels"},
        ErrorCase{"NotAnObject", TaskKind::kChat, "[1,2]", "",
                  "must be a JSON object, got an array"},
        ErrorCase{"NoModel", TaskKind::kChat, "{" + kMessages + "}", "model",
                  "'model' is required"},
        ErrorCase{"ModelNotString", TaskKind::kChat, R"({"model":7,)" + kMessages + "}", "model",
                  "'model' must be a non-empty string, got 7"},
        ErrorCase{"ModelEmpty", TaskKind::kChat, R"({"model":"",)" + kMessages + "}", "model",
                  "must be a non-empty string, got ''"}),
    [](const testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Messages, ParseErrorTest,
    testing::Values(
        ErrorCase{"Missing", TaskKind::kChat, R"({"model":"m"})", "messages",
                  "'messages' is required"},
        ErrorCase{"NotArray", TaskKind::kChat, messages(R"("hi")"), "messages",
                  "'messages' must be an array of messages, got a string"},
        ErrorCase{"Empty", TaskKind::kChat, messages("[]"), "messages", "must not be empty"},
        ErrorCase{"MessageNotObject", TaskKind::kChat,
                  messages(R"([{"role":"user","content":"a"},3])"), "messages[1]",
                  "'messages[1]' must be an object with 'role' and 'content', got a number"},
        ErrorCase{"NoRole", TaskKind::kChat, messages(R"([{"content":"a"}])"), "messages[0].role",
                  "'messages[0].role' is required"},
        ErrorCase{"BadRole", TaskKind::kChat, messages(R"([{"role":"robot","content":"a"}])"),
                  "messages[0].role",
                  "must be system, developer, user, assistant, tool or function, got 'robot'"},
        ErrorCase{"RoleNotString", TaskKind::kChat, messages(R"([{"role":1,"content":"a"}])"),
                  "messages[0].role", "got 1"},
        ErrorCase{"NoContent", TaskKind::kChat,
                  messages(R"([{"role":"system","content":"a"},{"role":"user"}])"),
                  "messages[1].content", "'messages[1].content' is required for a user message"},
        ErrorCase{
            "ContentWrongType", TaskKind::kChat,
            messages(
                R"([{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"user","content":{"text":"c"}}])"),
            "messages[2].content",
            "'messages[2].content' must be a string or an array of content parts, got an object"},
        ErrorCase{"NameNotString", TaskKind::kChat,
                  messages(R"([{"role":"user","content":"a","name":5}])"), "messages[0].name",
                  "must be a string, got a number"},
        ErrorCase{"PartNotObject", TaskKind::kChat,
                  messages(R"([{"role":"user","content":["a"]}])"), "messages[0].content[0]",
                  "must be an object with a 'type', got a string"},
        ErrorCase{
            "PartUnknownType", TaskKind::kChat,
            messages(
                R"([{"role":"user","content":[{"type":"text","text":"a"},{"type":"video","video":"v"}]}])"),
            "messages[0].content[1].type",
            "must be text, image_url, input_audio or refusal, got 'video'"},
        ErrorCase{"PartNoType", TaskKind::kChat,
                  messages(R"([{"role":"user","content":[{"text":"a"}]}])"),
                  "messages[0].content[0].type", "got nothing"},
        ErrorCase{"TextPartNoText", TaskKind::kChat,
                  messages(R"([{"role":"user","content":[{"type":"text","text":7}]}])"),
                  "messages[0].content[0].text", "must be a string"},
        ErrorCase{"ImagePartNoUrl", TaskKind::kChat,
                  messages(R"([{"role":"user","content":[{"type":"image_url","image_url":{}}]}])"),
                  "messages[0].content[0].image_url", "must be an object with a string 'url'"},
        ErrorCase{
            "AudioPartNoData", TaskKind::kChat,
            messages(
                R"([{"role":"user","content":[{"type":"input_audio","input_audio":{"format":"wav"}}]}])"),
            "messages[0].content[0].input_audio", "base64 'data'"},
        ErrorCase{"ToolCallsNotArray", TaskKind::kChat,
                  messages(R"([{"role":"assistant","tool_calls":{}}])"), "messages[0].tool_calls",
                  "must be an array of tool calls, got an object"}),
    [](const testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Fields, ParseErrorTest,
    testing::Values(
        ErrorCase{"StreamNotBool", TaskKind::kChat, chat_with(R"("stream":"yes")"), "stream",
                  "'stream' must be true or false, got 'yes'"},
        ErrorCase{"MaxTokensZero", TaskKind::kChat, chat_with(R"("max_tokens":0)"), "max_tokens",
                  "'max_tokens' must be a whole number from 1 to 2147483647, got 0"},
        ErrorCase{"MaxTokensNegative", TaskKind::kChat, chat_with(R"("max_tokens":-5)"),
                  "max_tokens", "got -5"},
        ErrorCase{"MaxTokensFraction", TaskKind::kChat, chat_with(R"("max_tokens":1.5)"),
                  "max_tokens", "got 1.5"},
        ErrorCase{"MaxTokensHuge", TaskKind::kChat,
                  chat_with(R"("max_tokens":18446744073709551615)"), "max_tokens",
                  "got 18446744073709551615"},
        ErrorCase{"MaxTokensInfinite", TaskKind::kChat, chat_with(R"("max_tokens":1e400)"),
                  "max_tokens", "got Infinity"},
        ErrorCase{"MaxTokensString", TaskKind::kChat, chat_with(R"("max_tokens":"64")"),
                  "max_tokens", "got '64'"},
        ErrorCase{"MaxCompletionTokens", TaskKind::kChat,
                  chat_with(R"("max_completion_tokens":2147483648)"), "max_completion_tokens",
                  "got 2147483648"},
        ErrorCase{"PriorityName", TaskKind::kChat, chat_with(R"("priority":"urgent")"), "priority",
                  "'priority' must be critical, standard, batch, sheddable or an integer 0-9, got "
                  "'urgent'"},
        ErrorCase{"PriorityRange", TaskKind::kChat, chat_with(R"("priority":12)"), "priority",
                  "got 12"},
        ErrorCase{"PriorityFraction", TaskKind::kChat, chat_with(R"("priority":4.5)"), "priority",
                  "got 4.5"},
        ErrorCase{"PriorityObject", TaskKind::kChat, chat_with(R"("priority":{"level":3})"),
                  "priority", "got an object"},
        ErrorCase{"Latency", TaskKind::kChat, chat_with(R"("latency":"realtime")"), "latency",
                  "'latency' must be interactive or batch, got 'realtime'"},
        ErrorCase{"PromptMissing", TaskKind::kCompletion, R"({"model":"m"})", "prompt",
                  "'prompt' is required"},
        ErrorCase{"PromptWrongType", TaskKind::kCompletion, R"({"model":"m","prompt":{}})",
                  "prompt",
                  "must be a string, an array of strings, or an array of token ids, got an object"},
        ErrorCase{"PromptEmptyArray", TaskKind::kCompletion, R"({"model":"m","prompt":[]})",
                  "prompt", "must not be empty"},
        ErrorCase{"PromptBadItem", TaskKind::kCompletion, R"({"model":"m","prompt":["a",true]})",
                  "prompt[1]", "must be a string, a token id or an array of token ids, got true"},
        ErrorCase{"PromptNegativeId", TaskKind::kCompletion, R"({"model":"m","prompt":[[1,-2]]})",
                  "prompt[0][1]", "must be a token id (a non-negative integer), got -2"},
        ErrorCase{"PromptHugeNumber", TaskKind::kCompletion,
                  R"({"model":"m","prompt":[)" + std::string(200, '1') + "]}", "prompt[0]",
                  "must be a string, a token id or an array of token ids, got 1.1"},
        ErrorCase{"Suffix", TaskKind::kCompletion, R"({"model":"m","prompt":"a","suffix":1})",
                  "suffix", "must be a string, got a number"},
        ErrorCase{"InputMissing", TaskKind::kEmbedding, R"({"model":"m"})", "input",
                  "'input' is required"}),
    [](const testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Headers, ParseErrorTest,
    testing::Values(ErrorCase{"PriorityWord", TaskKind::kChat, kOk, "x-autoglm-priority",
                              "x-autoglm-priority: expected critical, standard, batch, sheddable "
                              "or 0-9, got 'urgent'",
                              "urgent"},
                    ErrorCase{"PriorityTen", TaskKind::kChat, kOk, "x-autoglm-priority", "got '10'",
                              "10"},
                    ErrorCase{"PriorityControlBytes", TaskKind::kChat, kOk, "x-autoglm-priority",
                              "got 'a\\x01\\xff'", "a\x01\xff"},
                    ErrorCase{"DeadlineZero", TaskKind::kChat, kOk, "x-autoglm-deadline-ms",
                              "x-autoglm-deadline-ms: expected a whole number of milliseconds from "
                              "1 to 2592000000, got '0'",
                              "", "0"},
                    ErrorCase{"DeadlineNegative", TaskKind::kChat, kOk, "x-autoglm-deadline-ms",
                              "got '-5'", "", "-5"},
                    ErrorCase{"DeadlineFraction", TaskKind::kChat, kOk, "x-autoglm-deadline-ms",
                              "got '1.5'", "", "1.5"},
                    ErrorCase{"DeadlineTooLong", TaskKind::kChat, kOk, "x-autoglm-deadline-ms",
                              "got '2592000001'", "", "2592000001"},
                    ErrorCase{"DeadlineOverflow", TaskKind::kChat, kOk, "x-autoglm-deadline-ms",
                              "got '99999999999999999999999'", "", "99999999999999999999999"},
                    ErrorCase{"DeadlineWord", TaskKind::kChat, kOk, "x-autoglm-deadline-ms",
                              "got 'soon'", "", "soon"}),
    [](const testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    AsyncTask, ParseErrorTest,
    testing::Values(
        ErrorCase{"NoKind", TaskKind::kAsync, R"({"model":"m","payload":{}})", "kind",
                  "'kind' is required: chat, completion or embedding"},
        ErrorCase{"BadKind", TaskKind::kAsync, R"({"kind":"image","payload":{}})", "kind",
                  "'kind' must be chat, completion or embedding, got 'image'"},
        ErrorCase{"NoPayload", TaskKind::kAsync, R"({"kind":"chat","model":"m"})", "payload",
                  "'payload' is required"},
        ErrorCase{"PayloadNotObject", TaskKind::kAsync, R"({"kind":"chat","payload":[1]})",
                  "payload", "must be an object (an OpenAI request body), got an array"},
        ErrorCase{"NoModelAnywhere", TaskKind::kAsync,
                  R"({"kind":"chat","payload":{)" + kMessages + "}}", "model",
                  "'model' is required, at the top or in 'payload'"},
        ErrorCase{"TwoModels", TaskKind::kAsync,
                  R"({"kind":"chat","model":"a","payload":{"model":"b",)" + kMessages + "}}",
                  "model", "'model' is 'a' but 'payload.model' is 'b'"},
        ErrorCase{"PayloadModelType", TaskKind::kAsync,
                  R"({"kind":"chat","payload":{"model":[],)" + kMessages + "}}", "payload.model",
                  "'payload.model' must be a non-empty string, got an array"},
        ErrorCase{
            "PayloadField", TaskKind::kAsync,
            R"({"kind":"chat","model":"m","payload":{"messages":[{"role":"user","content":"a"},{"role":"user","content":7}]}})",
            "payload.messages[1].content",
            "'payload.messages[1].content' must be a string or an array of content parts"},
        ErrorCase{"KindMismatch", TaskKind::kAsync,
                  R"({"kind":"completion","model":"m","payload":{)" + kMessages + "}}",
                  "payload.prompt", "'payload.prompt' is required"},
        ErrorCase{
            "Preemptible", TaskKind::kAsync,
            R"({"kind":"chat","model":"m","preemptible":"yes","payload":{)" + kMessages + "}}",
            "preemptible", "'preemptible' must be true or false, got 'yes'"},
        ErrorCase{"PayloadPriority", TaskKind::kAsync,
                  R"({"kind":"chat","model":"m","payload":{"priority":"soon",)" + kMessages + "}}",
                  "payload.priority", "got 'soon'"},
        ErrorCase{"TopLatency", TaskKind::kAsync,
                  R"({"kind":"chat","model":"m","latency":1,"payload":{)" + kMessages + "}}",
                  "latency", "must be interactive or batch, got 1"}),
    [](const testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

TEST(ParseErrorTest, AsyncIsNotAnOpenAiBodyKind) {
  auto r = parse_openai(TaskKind::kAsync, kOk, {}, {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInternal);
}

TEST(ParseErrorTest, LongBadValuesAreShortenedInMessages) {
  RequestMeta meta;
  const std::string header(500, 'q');
  meta.priority_header = header;
  auto r = parse_openai(TaskKind::kChat, kOk, meta, {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_LT(r.status().message().size(), 200u);
  EXPECT_NE(r.status().message().find("qqq..."), std::string::npos);
}

}  // namespace
}  // namespace autoglm::parse
