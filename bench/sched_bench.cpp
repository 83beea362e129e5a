// Scheduler core benchmarks: ready-queue operations, and the submit -> placement decision
// with a real pipeline at several cluster sizes.
//   cmake --build build --target bench_sched && ./build/bench/bench_sched
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/clock.hpp"
#include "policy/pipeline.hpp"
#include "sched/priority.hpp"
#include "sched/ready_queue.hpp"
#include "sched/scheduler.hpp"

namespace {

using namespace autoglm;

// With --benchmark_repetitions, also report the fastest repetition: on a shared machine
// it is the one least disturbed by other work.
double fastest(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

core::TaskSpec make_task(core::TaskId id, const std::string& model = "m") {
  core::TaskSpec t;
  t.id = id;
  t.model = model;
  t.input_tokens = 512;
  t.max_output_tokens = 256;
  return t;
}

std::vector<double> random_keys(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> key(0, 1000);
  std::vector<double> keys(n);
  for (auto& k : keys) k = key(rng);
  return keys;
}

// One push and one pop on a queue holding range(0) tasks (steady state).
void BM_QueuePushPop(benchmark::State& state) {
  const auto depth = static_cast<std::size_t>(state.range(0));
  const auto keys = random_keys(1 << 16);
  sched::ReadyQueue queue;
  core::TaskId next = 1;
  for (std::size_t i = 0; i < depth; ++i) {
    queue.push(sched::QueuedTask{make_task(next), {}, {}, keys[next % keys.size()], 0});
    ++next;
  }
  sched::QueuedTask spare{make_task(0), {}, {}, 0, 0};
  for (auto _ : state) {
    spare.spec.id = next;
    spare.key = keys[next % keys.size()];
    ++next;
    queue.push(std::move(spare));
    spare = queue.pop(0);
    benchmark::DoNotOptimize(spare.key);
  }
  state.SetItemsProcessed(2 * state.iterations());  // items/s: push and pop each count
  state.counters["ns_per_op"] =
      benchmark::Counter(2.0 * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_QueuePushPop)->ComputeStatistics("min", fastest)->Arg(16)->Arg(1024)->Arg(65536);

// The same with the tasks and keys the scheduler makes: a mix of classes arriving 1000 per
// second, each keyed by priority_key (base - aging * arrival), so new tasks sit low in their
// class and pops take the oldest of the best class.
void BM_QueuePushPopAging(benchmark::State& state) {
  const auto depth = static_cast<std::size_t>(state.range(0));
  const sched::SchedulerOptions options;
  std::mt19937_64 rng(7);
  sched::ReadyQueue queue;
  core::TaskId next = 1;
  core::Time now{0};
  auto arrive = [&](sched::QueuedTask& t) {
    now += std::chrono::milliseconds(1);
    const auto cls = static_cast<core::PriorityClass>(rng() % 4);
    t.spec.id = next++;
    t.spec.priority_class = cls;
    t.spec.priority_level = core::default_level(cls);
    t.arrival = t.enqueued = now;
    t.key = sched::priority_key(t.spec, now, options);
  };
  for (std::size_t i = 0; i < depth; ++i) {
    sched::QueuedTask t{make_task(0), {}, {}, 0, 0};
    arrive(t);
    queue.push(std::move(t));
  }
  sched::QueuedTask spare{make_task(0), {}, {}, 0, 0};
  for (auto _ : state) {
    arrive(spare);
    queue.push(std::move(spare));
    spare = queue.pop(0);
    benchmark::DoNotOptimize(spare.key);
  }
  state.SetItemsProcessed(2 * state.iterations());
  state.counters["ns_per_op"] =
      benchmark::Counter(2.0 * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_QueuePushPopAging)->ComputeStatistics("min", fastest)->Arg(1024)->Arg(65536);

// Removal by id from the middle (a client leaving), then a push to keep the depth.
void BM_QueueRemoveById(benchmark::State& state) {
  const auto depth = static_cast<std::size_t>(state.range(0));
  const auto keys = random_keys(1 << 16);
  sched::ReadyQueue queue;
  core::TaskId next = 1;
  for (std::size_t i = 0; i < depth; ++i) {
    queue.push(sched::QueuedTask{make_task(next), {}, {}, keys[next % keys.size()], 0});
    ++next;
  }
  core::TaskId oldest = 1;
  for (auto _ : state) {
    auto task = queue.remove(oldest++);
    task->spec.id = next;
    task->key = keys[next % keys.size()];
    ++next;
    queue.push(std::move(*task));
  }
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_QueueRemoveById)->ComputeStatistics("min", fastest)->Arg(1024)->Arg(65536);

std::unique_ptr<policy::Pipeline> preset(const std::string& name) {
  return std::move(policy::build_pipeline(*policy::preset(name))).value();
}

std::unique_ptr<sched::Scheduler> cluster(const core::Clock& clock, const std::string& policy,
                                          int nodes, int capacity) {
  auto s = std::make_unique<sched::Scheduler>(sched::SchedulerOptions{}, clock, preset(policy));
  for (int i = 0; i < nodes; ++i) {
    core::NodeView v;
    v.id = "n" + std::to_string(i);
    v.models = {"m"};
    v.capacity = capacity;
    v.in_flight = 0;
    s->add_node(std::move(v));
  }
  s->take_actions();
  return s;
}

// submit -> Placement (policy decision with explain_top 3) -> finished, on an unloaded
// cluster: the cost of one immediate dispatch and its bookkeeping.
void BM_SubmitDispatch(benchmark::State& state, const std::string& policy) {
  core::ManualClock clock;
  auto s = cluster(clock, policy, static_cast<int>(state.range(0)), 0);
  core::TaskId id = 1;
  sched::TaskResult done;
  done.ttft = std::chrono::milliseconds(50);
  done.e2e = std::chrono::milliseconds(500);
  done.output_tokens = 100;
  for (auto _ : state) {
    s->submit(make_task(id));
    auto actions = s->take_actions();
    benchmark::DoNotOptimize(actions.dispatch.data());
    s->finished(id++, done);
    s->take_actions();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_SubmitDispatch, least_request, std::string("least_request"))
    ->ComputeStatistics("min", fastest)
    ->Arg(8)
    ->Arg(64)
    ->Arg(1000)
    ->Arg(10000);
BENCHMARK_CAPTURE(BM_SubmitDispatch, p2c, std::string("p2c"))
    ->ComputeStatistics("min", fastest)
    ->Arg(8)
    ->Arg(64)
    ->Arg(1000)
    ->Arg(10000);

// Saturated cluster with 1000 queued tasks: each iteration one task finishes, the freed slot
// goes to the queue's head, and a new task joins the queue.
void BM_DispatchFromQueue(benchmark::State& state) {
  core::ManualClock clock;
  const int nodes = static_cast<int>(state.range(0));
  auto s = cluster(clock, "least_request", nodes, 1);
  core::TaskId id = 1;
  std::vector<core::TaskId> running;
  for (int i = 0; i < nodes + 1000; ++i) s->submit(make_task(id++));
  for (const auto& p : s->take_actions().dispatch) running.push_back(p.task);
  std::size_t next_finish = 0;
  for (auto _ : state) {
    s->finished(running[next_finish], {});
    auto actions = s->take_actions();
    running[next_finish] = actions.dispatch.front().task;
    next_finish = (next_finish + 1) % running.size();
    s->submit(make_task(id++));
    s->take_actions();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DispatchFromQueue)->ComputeStatistics("min", fastest)->Arg(64)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
