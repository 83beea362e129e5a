#include "sim/engine.hpp"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace autoglm::sim {
namespace {

using Kind = EngineEvent::Kind;

GpuProfile a100() { return find_profile("a100-80gb-8b").value(); }

// The A100 profile with a small KV cache, to create memory pressure quickly.
GpuProfile small_kv(std::int64_t tokens) {
  GpuProfile p = a100();
  p.kv_capacity_tokens = tokens;
  return p;
}

struct Timeline {
  double end_ms = 0;
  int iterations = 0;
  std::map<std::uint64_t, std::vector<EngineEvent>> events;
  std::map<std::uint64_t, std::vector<double>> times;  // when each event happened
  std::int64_t max_waiting = 0;
};

// Drives `engine` in virtual time until it is idle.
Timeline run_to_idle(Engine& engine, int max_iterations = 1000000) {
  Timeline t;
  std::vector<EngineEvent> out;
  while (!engine.idle() && t.iterations < max_iterations) {
    t.end_ms += engine.plan_iteration();
    t.max_waiting = std::max(t.max_waiting, engine.stats().waiting);
    out.clear();
    engine.finish_iteration(out);
    ++t.iterations;
    for (const EngineEvent& e : out) {
      t.events[e.id].push_back(e);
      t.times[e.id].push_back(t.end_ms);
    }
  }
  return t;
}

// Each sequence reported tokens 1..output exactly once, in order, ending with kFinished.
void expect_complete(const Timeline& t, const std::map<std::uint64_t, std::int64_t>& outputs) {
  ASSERT_EQ(t.events.size(), outputs.size());
  for (const auto& [id, output] : outputs) {
    const auto& events = t.events.at(id);
    ASSERT_FALSE(events.empty()) << id;
    EXPECT_EQ(events.front().kind, Kind::kFirstToken) << id;
    EXPECT_EQ(events.back().kind, Kind::kFinished) << id;
    EXPECT_EQ(events.back().generated, output) << id;
    EXPECT_EQ(events.size(), std::size_t(output == 1 ? 2 : output)) << id;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
      EXPECT_EQ(events[i].generated, std::int64_t(i + 1)) << id;
    }
  }
}

TEST(EngineTest, LoneRequestStreamsItsTokensAfterTtft) {
  Engine engine{LatencyModel(a100())};
  ASSERT_TRUE(engine.add({.id = 7, .prompt_tokens = 1000, .output_tokens = 5}).is_ok());
  const Timeline t = run_to_idle(engine);
  expect_complete(t, {{7, 5}});
  const auto& kinds = t.events.at(7);
  EXPECT_EQ(kinds[1].kind, Kind::kToken);
  EXPECT_DOUBLE_EQ(t.times.at(7).front(), engine.model().ttft_ms(1000));
  // Decode steps read 1001, 1002, ... tokens of context.
  EXPECT_DOUBLE_EQ(t.times.at(7)[1] - t.times.at(7)[0], engine.model().tpot_ms(1, 1001));
  EXPECT_EQ(t.iterations, 5);
  const EngineStats s = engine.stats();
  EXPECT_EQ(s.finished_total, 1);
  EXPECT_EQ(s.prompt_tokens_total, 1000);
  EXPECT_EQ(s.generation_tokens_total, 5);
  EXPECT_EQ(s.kv_used_tokens, 0);
}

TEST(EngineTest, SingleTokenOutputReportsFirstTokenAndFinish) {
  Engine engine{LatencyModel(a100())};
  ASSERT_TRUE(engine.add({.id = 1, .prompt_tokens = 10, .output_tokens = 1}).is_ok());
  const Timeline t = run_to_idle(engine);
  expect_complete(t, {{1, 1}});
  EXPECT_EQ(t.iterations, 1);
}

TEST(EngineTest, LongPromptIsPrefilledInChunks) {
  Engine engine{LatencyModel(find_profile("l4-24gb-8b").value())};  // 2048 tokens/iteration
  ASSERT_TRUE(engine.add({.id = 1, .prompt_tokens = 5000, .output_tokens = 2}).is_ok());
  engine.plan_iteration();
  EXPECT_EQ(engine.planned_batch().prefill_tokens, 2048);
  const Timeline t = [&] {
    std::vector<EngineEvent> out;
    engine.finish_iteration(out);
    EXPECT_TRUE(out.empty());
    return run_to_idle(engine);
  }();
  EXPECT_EQ(t.iterations, 3);  // after the first 2048: 2048 and 904 more, then one decode
  EXPECT_EQ(t.events.at(1).front().kind, Kind::kFirstToken);
}

TEST(EngineTest, LoneChunkedRequestTtftEqualsTheModel) {
  Engine engine{LatencyModel(find_profile("l4-24gb-8b").value())};
  ASSERT_TRUE(engine.add({.id = 1, .prompt_tokens = 5000, .output_tokens = 3}).is_ok());
  const Timeline t = run_to_idle(engine);
  EXPECT_NEAR(t.times.at(1).front(), engine.model().ttft_ms(5000), 1e-9);
}

TEST(EngineTest, CachedPrefixShortensTtft) {
  Engine engine{LatencyModel(a100())};
  ASSERT_TRUE(
      engine.add({.id = 1, .prompt_tokens = 4096, .output_tokens = 2, .cached_tokens = 3686})
          .is_ok());
  const Timeline t = run_to_idle(engine);
  EXPECT_NEAR(t.times.at(1).front(), engine.model().ttft_ms(4096, 3686), 1e-9);
  EXPECT_EQ(engine.stats().prompt_tokens_total, 4096 - 3686);
}

TEST(EngineTest, DecodeSlowsWithBatchSize) {
  // The gap between the 2nd and 3rd token of the last admitted sequence: by then every
  // sequence of the batch is decoding with about 1k tokens of context.
  auto tpot = [](int batch) {
    Engine engine{LatencyModel(a100())};
    for (int i = 0; i < batch; ++i) {
      EXPECT_TRUE(engine.add({.id = std::uint64_t(i), .prompt_tokens = 1000, .output_tokens = 100})
                      .is_ok());
    }
    const Timeline t = run_to_idle(engine);
    const auto& times = t.times.at(std::uint64_t(batch - 1));
    return times[2] - times[1];
  };
  const double one = tpot(1), thirty_two = tpot(32), two_fifty_six = tpot(256);
  EXPECT_LT(one, thirty_two);
  EXPECT_LT(thirty_two, two_fifty_six);
  EXPECT_NEAR(one, 12, 1.8);
  EXPECT_NEAR(two_fifty_six, 48, 7.2);
}

TEST(EngineTest, BatchIsCappedByMaxBatch) {
  GpuProfile p = a100();
  p.max_batch = 4;
  Engine engine{LatencyModel(p)};
  for (std::uint64_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(engine.add({.id = i, .prompt_tokens = 10, .output_tokens = 3}).is_ok());
  }
  engine.plan_iteration();
  EXPECT_EQ(engine.stats().running, 4);
  EXPECT_EQ(engine.stats().waiting, 6);
}

TEST(EngineTest, RequestsBeyondKvCapacityWaitThenFinish) {
  Engine engine{LatencyModel(small_kv(1024))};
  std::map<std::uint64_t, std::int64_t> outputs;
  for (std::uint64_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(engine.add({.id = i, .prompt_tokens = 300, .output_tokens = 10}).is_ok());
    outputs[i] = 10;
  }
  engine.plan_iteration();
  const EngineStats s = engine.stats();
  EXPECT_EQ(s.running, 3);  // 19 blocks each out of 64
  EXPECT_EQ(s.waiting, 7);
  EXPECT_EQ(s.kv_used_tokens, 3 * 19 * 16);
  EXPECT_EQ(s.kv_capacity_tokens, 1024);
  std::vector<EngineEvent> first;
  engine.finish_iteration(first);
  EXPECT_EQ(first.size(), 3u);
  Timeline t = run_to_idle(engine);
  for (const EngineEvent& e : first) t.events[e.id].insert(t.events[e.id].begin(), e);
  expect_complete(t, outputs);
  EXPECT_EQ(engine.stats().finished_total, 10);
  EXPECT_EQ(engine.stats().kv_used_tokens, 0);
}

TEST(EngineTest, KvPressurePreemptsAndEverySequenceStillFinishes) {
  Engine engine{LatencyModel(small_kv(1024))};
  std::map<std::uint64_t, std::int64_t> outputs;
  for (std::uint64_t i = 0; i < 6; ++i) {
    const std::int64_t output = 150 + 50 * std::int64_t(i);
    ASSERT_TRUE(engine.add({.id = i, .prompt_tokens = 200, .output_tokens = output}).is_ok());
    outputs[i] = output;
  }
  const Timeline t = run_to_idle(engine);
  expect_complete(t, outputs);
  const EngineStats s = engine.stats();
  EXPECT_GT(s.preemptions_total, 0);
  EXPECT_GT(s.prompt_tokens_total, 6 * 200);  // recomputation counted
  EXPECT_EQ(s.generation_tokens_total, 150 + 200 + 250 + 300 + 350 + 400);
  EXPECT_EQ(s.kv_used_tokens, 0);
}

TEST(EngineTest, PreemptedSequenceGoesToTheFrontOfTheQueue) {
  Engine engine{LatencyModel(small_kv(64))};  // 4 blocks
  ASSERT_TRUE(engine.add({.id = 1, .prompt_tokens = 16, .output_tokens = 40}).is_ok());
  ASSERT_TRUE(engine.add({.id = 2, .prompt_tokens = 16, .output_tokens = 40}).is_ok());
  ASSERT_TRUE(engine.add({.id = 3, .prompt_tokens = 16, .output_tokens = 2}).is_ok());
  std::vector<EngineEvent> out;
  std::int64_t waiting_when_preempted = -1;
  while (!engine.idle() && engine.stats().preemptions_total == 0) {
    engine.plan_iteration();
    if (engine.stats().preemptions_total > 0) waiting_when_preempted = engine.stats().waiting;
    engine.finish_iteration(out);
  }
  ASSERT_EQ(engine.stats().preemptions_total, 1);
  EXPECT_EQ(waiting_when_preempted, 1);
  // Sequence 3, the most recently admitted, gave way; it had already reported its first
  // token and reports only its second after recomputing.
  const Timeline t = run_to_idle(engine);
  EXPECT_EQ(t.events.at(3).size(), 1u);
  EXPECT_EQ(t.events.at(3).front().kind, Kind::kFinished);
  EXPECT_EQ(t.events.at(3).front().generated, 2);
  // The oldest sequence is never preempted and finishes first.
  EXPECT_LT(t.times.at(1).back(), t.times.at(2).back());
}

TEST(EngineTest, CancelFreesKv) {
  Engine engine{LatencyModel(a100())};
  ASSERT_TRUE(engine.add({.id = 1, .prompt_tokens = 1000, .output_tokens = 100}).is_ok());
  ASSERT_TRUE(engine.add({.id = 2, .prompt_tokens = 500, .output_tokens = 100}).is_ok());
  std::vector<EngineEvent> out;
  for (int i = 0; i < 3; ++i) {
    engine.plan_iteration();
    engine.finish_iteration(out);
  }
  const std::int64_t before = engine.stats().kv_used_tokens;
  EXPECT_TRUE(engine.cancel(1));
  EXPECT_FALSE(engine.cancel(1));
  EXPECT_EQ(engine.stats().running, 1);
  EXPECT_LT(engine.stats().kv_used_tokens, before - 1000 + 16);
  EXPECT_TRUE(engine.cancel(2));
  EXPECT_EQ(engine.stats().kv_used_tokens, 0);
  EXPECT_TRUE(engine.idle());
}

TEST(EngineTest, CancelWaitingAndMidIteration) {
  Engine engine{LatencyModel(small_kv(512))};
  ASSERT_TRUE(engine.add({.id = 1, .prompt_tokens = 400, .output_tokens = 5}).is_ok());
  ASSERT_TRUE(engine.add({.id = 2, .prompt_tokens = 400, .output_tokens = 5}).is_ok());
  ASSERT_TRUE(engine.add({.id = 3, .prompt_tokens = 10, .output_tokens = 5}).is_ok());
  engine.plan_iteration();
  EXPECT_EQ(engine.stats().waiting, 2);
  EXPECT_TRUE(engine.cancel(2));  // waiting
  EXPECT_TRUE(engine.cancel(1));  // running, planned
  std::vector<EngineEvent> out;
  engine.finish_iteration(out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(engine.stats().kv_used_tokens, 0);
  const Timeline t = run_to_idle(engine);
  expect_complete(t, {{3, 5}});
}

TEST(EngineTest, AddRejectsImpossibleRequests) {
  Engine engine{LatencyModel(small_kv(1024))};
  EXPECT_FALSE(engine.add({.id = 1, .prompt_tokens = 0, .output_tokens = 5}).is_ok());
  EXPECT_FALSE(engine.add({.id = 1, .prompt_tokens = 5, .output_tokens = 0}).is_ok());
  EXPECT_FALSE(engine.add({.id = 1, .prompt_tokens = 1000, .output_tokens = 26}).is_ok());
  EXPECT_TRUE(engine.add({.id = 1, .prompt_tokens = 1000, .output_tokens = 25}).is_ok());
  const core::Status duplicate = engine.add({.id = 1, .prompt_tokens = 5, .output_tokens = 5});
  EXPECT_EQ(duplicate.code(), core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(engine.idle() == false);
}

TEST(EngineTest, SameInputsGiveTheSameTimeline) {
  auto simulate = [] {
    Engine engine{LatencyModel(small_kv(4096))};
    for (std::uint64_t i = 0; i < 40; ++i) {
      const std::int64_t prompt = 100 + std::int64_t((i * 37) % 700);
      const std::int64_t output = 20 + std::int64_t((i * 53) % 200);
      EXPECT_TRUE(engine.add({.id = i, .prompt_tokens = prompt, .output_tokens = output}).is_ok());
    }
    return run_to_idle(engine);
  };
  const Timeline a = simulate(), b = simulate();
  EXPECT_EQ(a.end_ms, b.end_ms);
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.times, b.times);
  EXPECT_GT(a.max_waiting, 0);
}

TEST(EngineTest, WithoutTokenEventsOnlyFirstTokenAndFinishAreReported) {
  Engine quiet{LatencyModel(a100())};
  Engine loud{LatencyModel(a100())};
  quiet.set_token_events(false);
  for (Engine* e : {&quiet, &loud}) {
    ASSERT_TRUE(e->add({1, 300, 20, 0}).is_ok());
    ASSERT_TRUE(e->add({2, 100, 1, 0}).is_ok());
  }
  const Timeline q = run_to_idle(quiet);
  const Timeline l = run_to_idle(loud);
  EXPECT_EQ(q.end_ms, l.end_ms);  // the same timeline, fewer events
  ASSERT_EQ(q.events.at(1).size(), 2u);
  EXPECT_EQ(q.events.at(1)[0].kind, Kind::kFirstToken);
  EXPECT_EQ(q.events.at(1)[1].kind, Kind::kFinished);
  EXPECT_EQ(q.events.at(1)[1].generated, 20);
  EXPECT_EQ(q.times.at(1), (std::vector<double>{l.times.at(1).front(), l.times.at(1).back()}));
  EXPECT_EQ(q.events.at(2).size(), 2u);
}

}  // namespace
}  // namespace autoglm::sim
