// The task parsing engine's hot path: OpenAI bodies into TaskSpecs, the token estimator
// and prefix hashing. Run: build/bench/bench_parse (docs/parsing.md has the figures).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <string>

#include "parse/prefix_hash.hpp"
#include "parse/task_parser.hpp"
#include "parse/token_estimator.hpp"

namespace {

using autoglm::core::TaskKind;
namespace parse = autoglm::parse;

const char* const kEnglish =
    "When a request arrives at the gateway, the first thing the scheduler needs to know is "
    "how big it is. A short question about the weather costs almost nothing to prefill, "
    "while a forty-page contract pasted into the prompt can keep a GPU busy for several "
    "seconds before the first token appears. Treating both requests the same way is how "
    "queues build up behind a single heavy job. The second thing it needs is how urgent "
    "the work is: interactive users notice half a second, a nightly batch does not. ";

const char* const kChinese =
    "当一个请求到达网关时，调度器首先需要知道它有多大。一个关于天气的简短问题几乎不需要预填充的"
    "时间，而一份粘贴进提示词的四十页合同，可能会让显卡在输出第一个字之前忙上好几秒。如果把这两"
    "种请求一视同仁，队列就会堵在一个沉重的任务后面。";

// `unit` repeated up to exactly `bytes` bytes (cut on a character boundary).
std::string repeat_to(const std::string& unit, std::size_t bytes) {
  std::string s;
  while (s.size() < bytes) s += unit;
  std::size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

// A chat request of about `bytes` bytes: a system prompt and alternating turns.
std::string chat_body(std::size_t bytes) {
  std::string body =
      R"({"model":"glm-4-9b","stream":true,"max_tokens":512,"temperature":0.7,"messages":[)"
      R"({"role":"system","content":"You are a concise assistant for an infrastructure team."})";
  const std::string turn = repeat_to(kEnglish, 600);
  for (int i = 0; body.size() + turn.size() + 64 < bytes; ++i) {
    body += R"(,{"role":")";
    body += i % 2 ? "assistant" : "user";
    body += R"(","content":")" + turn + "\"}";
  }
  const std::size_t room = bytes > body.size() + 40 ? bytes - body.size() - 40 : 1;
  body += R"(,{"role":"user","content":")" + repeat_to(kEnglish, room) + "\"}]}";
  return body;
}

std::string completion_body(std::size_t bytes) {
  return R"({"model":"glm-4-9b","max_tokens":128,"prompt":")" + repeat_to(kEnglish, bytes - 60) +
         "\"}";
}

void BM_ParseChat(benchmark::State& state) {
  const std::string body = chat_body(static_cast<std::size_t>(state.range(0)));
  const parse::ParseOptions options;
  parse::RequestMeta meta;
  meta.priority_header = "standard";
  meta.deadline_header = "2000";
  for (auto _ : state) {
    auto task = parse::parse_openai(TaskKind::kChat, body, meta, options);
    benchmark::DoNotOptimize(task);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetLabel(std::to_string(body.size()) + " B");
}
BENCHMARK(BM_ParseChat)->Arg(4 << 10)->Arg(32 << 10);

void BM_ParseCompletion(benchmark::State& state) {
  const std::string body = completion_body(static_cast<std::size_t>(state.range(0)));
  const parse::ParseOptions options;
  for (auto _ : state) {
    auto task = parse::parse_openai(TaskKind::kCompletion, body, {}, options);
    benchmark::DoNotOptimize(task);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseCompletion)->Arg(4 << 10);

void BM_ParseTaskPayload(benchmark::State& state) {
  const std::string chat = chat_body(4 << 10);
  const std::string body =
      R"({"kind":"chat","priority":"batch","preemptible":true,"payload":)" + chat + "}";
  const parse::ParseOptions options;
  for (auto _ : state) {
    auto task = parse::parse_task_payload(body, {}, options);
    benchmark::DoNotOptimize(task);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseTaskPayload);

// The JSON parse alone, as parse_openai does it, for comparison.
void BM_JsonOnly(benchmark::State& state) {
  const std::string body = chat_body(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    alignas(std::max_align_t) unsigned char buffer[16 * 1024];
    boost::json::monotonic_resource arena(buffer, sizeof buffer);
    boost::json::error_code ec;
    auto doc = boost::json::parse(body, ec, &arena);
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_JsonOnly)->Arg(4 << 10);

void BM_EstimateTokens(benchmark::State& state, const char* unit) {
  const std::string text = repeat_to(unit, 4 << 10);
  for (auto _ : state) benchmark::DoNotOptimize(parse::estimate_tokens(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK_CAPTURE(BM_EstimateTokens, english_4k, kEnglish);
BENCHMARK_CAPTURE(BM_EstimateTokens, chinese_4k, kChinese);

void BM_PrefixHashes(benchmark::State& state) {
  const std::string text = repeat_to(kEnglish, 4 << 10);
  for (auto _ : state) benchmark::DoNotOptimize(parse::prefix_hashes(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_PrefixHashes);

}  // namespace

BENCHMARK_MAIN();
