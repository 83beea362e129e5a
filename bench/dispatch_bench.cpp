// What following a stream for mid-stream failover costs per event: the first node's
// events pass through StreamSplice (parsed to keep the text), a continuation's are also
// rewritten. Compare with the relay's plain write of the same bytes. Run:
// build/bench/bench_dispatch.
#include <benchmark/benchmark.h>

#include <string>

#include "dispatch/stream_splice.hpp"

namespace {

using autoglm::dispatch::StreamSplice;

std::string chat_event(int i) {
  return "data: {\"id\":\"chatcmpl-0123456789abcdef\",\"object\":\"chat.completion.chunk\","
         "\"created\":1764400000,\"model\":\"glm-4-9b\",\"choices\":[{\"index\":0,"
         "\"delta\":{\"content\":\" word" +
         std::to_string(i % 1000) + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
}

void BM_FollowFirstStream(benchmark::State& state) {
  const std::string event = chat_event(7);
  StreamSplice splice(true);
  for (auto _ : state) {
    auto out = splice.relay(event);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FollowFirstStream);

void BM_RewriteContinuation(benchmark::State& state) {
  const std::string event = chat_event(7);
  StreamSplice splice(true);
  splice.relay(chat_event(1));
  splice.begin_continuation("gpu-2");
  for (auto _ : state) {
    auto out = splice.relay(event);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RewriteContinuation);

}  // namespace

BENCHMARK_MAIN();
