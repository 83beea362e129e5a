// The response cache: building a key from a request (canonical JSON + SHA-256) and
// lookups/inserts under the LRU byte bound. Run: build/bench/bench_cache.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "cache/cache_key.hpp"
#include "cache/response_cache.hpp"
#include "core/clock.hpp"

namespace {

namespace cache = autoglm::cache;
namespace json = boost::json;

json::object chat_request(int i, std::size_t prompt_bytes) {
  return json::parse(R"({"model":"glm-4-9b","temperature":0,"max_tokens":64,"messages":[)"
                     R"({"role":"system","content":"You are a helpful assistant."},)"
                     R"({"role":"user","content":")" +
                     std::to_string(i) + std::string(prompt_bytes, 'x') + R"("}]})")
      .as_object();
}

void BM_MakeCacheKey(benchmark::State& state) {
  const auto body = chat_request(1, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto key = cache::make_cache_key("tenant-a", "/v1/chat/completions", body);
    benchmark::DoNotOptimize(key.digest.data());
  }
}
BENCHMARK(BM_MakeCacheKey)->Arg(256)->Arg(4096)->Unit(benchmark::kMicrosecond);

std::vector<cache::CacheKey> keys(int n) {
  std::vector<cache::CacheKey> out;
  for (int i = 0; i < n; ++i)
    out.push_back(cache::make_cache_key("t", "/v1/chat/completions", chat_request(i, 64)));
  return out;
}

void BM_CacheLookupHit(benchmark::State& state) {
  autoglm::core::ManualClock clock;
  cache::ResponseCache c({}, clock);
  const auto ks = keys(static_cast<int>(state.range(0)));
  for (const auto& k : ks) c.insert(k, std::string(1024, 'a'));
  std::size_t i = 0;
  for (auto _ : state) {
    auto hit = c.lookup(ks[i++ % ks.size()]);
    benchmark::DoNotOptimize(hit.get());
  }
}
BENCHMARK(BM_CacheLookupHit)->Arg(1024)->Arg(16384);

void BM_CacheInsertEvicting(benchmark::State& state) {
  autoglm::core::ManualClock clock;
  cache::CacheOptions options;
  options.max_bytes = 1u << 20;  // about 800 answers of 1 KiB: most inserts evict one
  cache::ResponseCache c(options, clock);
  const auto ks = keys(4096);
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(c.insert(ks[i++ % ks.size()], std::string(1024, 'a')));
}
BENCHMARK(BM_CacheInsertEvicting);

}  // namespace

BENCHMARK_MAIN();
