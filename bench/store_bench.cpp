// The durable store and workflow engine: accepted async tasks per second with durable
// commits (one per commit and batched), and claim+complete cycles. Run: build/bench/bench_store
// (docs/workflows.md has the figures). Uses a SQLite file under $TMPDIR.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite_store.hpp"
#include "workflow/engine.hpp"

namespace {

namespace store = autoglm::store;
namespace workflow = autoglm::workflow;
using autoglm::core::Time;

// A fresh database file, removed with its WAL when the benchmark ends.
class ScratchDb {
 public:
  explicit ScratchDb(store::SyncMode sync, const std::string& name = "bench") {
    path_ = (std::filesystem::temp_directory_path() /
             ("autoglm-" + name + "-" + std::to_string(::getpid()) + ".db"))
                .string();
    remove();
    store = std::move(store::SqliteStore::open(path_, {sync, Time{0}})).value();
  }
  ~ScratchDb() {
    store.reset();
    remove();
  }
  std::unique_ptr<store::SqliteStore> store;

 private:
  void remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

store::TaskInput sample_task() {
  store::TaskInput in;
  in.model = "autoglm-sim-8b";
  in.payload =
      R"({"messages":[{"role":"user","content":"Summarise the attached quarterly report in three bullet points."}],"max_tokens":64})";
  return in;
}

void BM_SubmitOnePerCommit(benchmark::State& state) {
  ScratchDb db(state.range(0) == 0 ? store::SyncMode::kFull : store::SyncMode::kNormal);
  const auto in = sample_task();
  std::int64_t t = 1;
  for (auto _ : state) benchmark::DoNotOptimize(db.store->submit_task(in, Time{t++}));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "synchronous=FULL" : "synchronous=NORMAL");
}
BENCHMARK(BM_SubmitOnePerCommit)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Concurrent submitters (as the gateway's request threads are): group commit puts the
// writes that arrive during one fsync into the next transaction.
void BM_SubmitConcurrent(benchmark::State& state) {
  static ScratchDb db(store::SyncMode::kFull, "bench-concurrent");
  const auto in = sample_task();
  for (auto _ : state) benchmark::DoNotOptimize(db.store->submit_task(in, Time{1}));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("synchronous=FULL, one task per call, threads");
}
BENCHMARK(BM_SubmitConcurrent)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void BM_SubmitBatched(benchmark::State& state) {
  ScratchDb db(store::SyncMode::kFull);
  const std::vector<store::TaskInput> batch(static_cast<std::size_t>(state.range(0)),
                                            sample_task());
  std::int64_t t = 1;
  for (auto _ : state) benchmark::DoNotOptimize(db.store->submit_tasks(batch, Time{t++}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("synchronous=FULL, tasks per commit");
}
BENCHMARK(BM_SubmitBatched)->Arg(16)->Arg(128)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ClaimComplete(benchmark::State& state) {
  ScratchDb db(state.range(1) == 0 ? store::SyncMode::kFull : store::SyncMode::kNormal);
  const std::size_t per_claim = static_cast<std::size_t>(state.range(0));
  const std::vector<store::TaskInput> refill(4096, sample_task());
  store::ClaimRequest req;
  req.owner = "bench";
  req.max_tasks = per_claim;
  std::int64_t t = 1;
  std::int64_t done = 0;
  for (auto _ : state) {
    req.now = Time{t++};
    auto claimed = db.store->claim(req);
    if (claimed->empty()) {
      state.PauseTiming();
      (void)db.store->submit_tasks(refill, Time{0});
      state.ResumeTiming();
      continue;
    }
    for (const auto& task : *claimed) {
      benchmark::DoNotOptimize(
          db.store->complete(task.id, "bench", {R"({"ok":true})", "n1"}, Time{t}));
      ++done;
    }
  }
  state.SetItemsProcessed(done);
  state.SetLabel(state.range(1) == 0 ? "synchronous=FULL" : "synchronous=NORMAL");
}
BENCHMARK(BM_ClaimComplete)
    ->Args({1, 0})
    ->Args({16, 0})
    ->Args({16, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Completes every execution inline: measures the engine's own overhead per task.
class InlineExecutor final : public workflow::TaskExecutor {
 public:
  void execute(const workflow::ClaimedTask&,
               std::function<void(workflow::ExecutionResult)> done) override {
    done({true, R"({"choices":[{"text":"ok"}]})", "", true, "n1"});
  }
};

void BM_EngineSubmitToDone(benchmark::State& state) {
  ScratchDb db(store::SyncMode::kFull);
  InlineExecutor exec;
  autoglm::core::ManualClock clock(Time{std::chrono::seconds(1'735'689'600)});
  workflow::EngineOptions opts;
  opts.claim_batch = 64;
  opts.max_in_flight = 64;
  workflow::WorkflowEngine engine(*db.store, exec, clock, opts);
  const std::string body =
      R"({"kind":"chat","model":"autoglm-sim-8b","payload":{"messages":[{"role":"user","content":"hello"}]}})";
  for (auto _ : state) {
    for (int i = 0; i < 64; ++i) (void)engine.submit_task(body, {});
    while (engine.step().dispatched > 0) {
    }
  }
  state.SetItemsProcessed(state.iterations() * 64);
  state.SetLabel("submit + claim + complete, FULL");
}
BENCHMARK(BM_EngineSubmitToDone)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
