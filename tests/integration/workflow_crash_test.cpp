// Crash safety: tasks and a DAG are accepted, the gateway is killed with SIGKILL in the
// middle of running them and restarted on the same SQLite file. Every task completes with
// exactly one result, repeated submissions find the first tasks, and the DAG finishes.
// AUTOGLM_CRASH_TASKS sets the number of tasks (default 1000; bench/workflow_crash.sh
// runs 10,000) and AUTOGLM_CRASH_REPORT a file for the measured figures.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "integration/workflow_support.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kThreads = 8;

int crash_tasks() {
  const char* v = std::getenv("AUTOGLM_CRASH_TASKS");
  return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : 1000;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Runs fn(i) for i in [0, n) on kThreads threads.
void parallel_for(int n, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < n; i = next++) fn(i);
    });
  }
  for (auto& t : threads) t.join();
}

// Whether at least `n` tasks are in `state` (n <= 1000).
bool at_least(std::uint16_t port, const std::string& state, int n) {
  auto page = json_of(http_get(port, "/v1/tasks?state=" + state + "&limit=" + std::to_string(n)));
  const auto* data = page.if_contains("data");
  return data != nullptr && data->as_array().size() >= static_cast<std::size_t>(n);
}

std::string seed_dag() {
  const std::string m = kWorkflowModel;
  const std::string msg = R"("payload": {"messages": [{"role": "user", "content": ")";
  return R"({"name": "report", "tasks": [
    {"id": "T1", "kind": "chat", "model": ")" +
         m + "\", " + msg + R"(Write."}], "max_tokens": 4}},
    {"id": "T2", "requires": ["T1"], "kind": "chat", "model": ")" +
         m + "\", " + msg +
         R"(Translate: {{tasks.T1.output}}"}], "max_tokens": 4}},
    {"id": "T3", "requires": ["T1", "T2"], "kind": "chat", "model": ")" +
         m + "\", " + msg + R"(Summarise."}], "max_tokens": 4}}]})";
}

TEST(WorkflowCrash, KilledMidRunEveryTaskCompletesExactlyOnceAndTheDagFinishes) {
  const int n = crash_tasks();
  TempDir dir;
  // Slow enough (32 tokens at 5x real time) that the kill finds tasks running. Under
  // AddressSanitizer submitting is slower than running, so the nodes run at real time there.
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kSpeedup = 1;
#else
  constexpr int kSpeedup = 5;
#endif
  const auto config =
      dir.write("gateway.yaml", workflow_config(dir.path() / "crash.db", kSpeedup));
  auto first = start_autoglm(dir, "gateway1", {"serve", "-c", config.string()});
  const auto started = Clock::now();

  std::vector<std::string> ids(static_cast<std::size_t>(n));
  std::atomic<int> rejected{0};
  parallel_for(n, [&](int i) {
    auto r = post_json(first.port, "/v1/tasks", chat_task_body("task " + std::to_string(i), 32),
                       {{"idempotency-key", "crash-" + std::to_string(i)}});
    if (r.status != 201) ++rejected;
    ids[static_cast<std::size_t>(i)] = str(json_of(r)["id"]);
  });
  const double submit_s = seconds_since(started);
  ASSERT_EQ(rejected, 0);
  auto dag = post_json(first.port, "/v1/dags", seed_dag(), {{"idempotency-key", "crash-dag"}});
  ASSERT_EQ(dag.status, 201) << dag.body;
  const std::string dag_id = str(json_of(dag)["id"]);

  // Kill it once a tenth of the work is done, while tasks are running.
  const int tenth = std::min(1000, std::max(1, n / 10));
  ASSERT_TRUE(wait_until(
      [&] {
        return at_least(first.port, "succeeded", tenth) && at_least(first.port, "running", 1);
      },
      120s))
      << "no moment with tasks running: nothing would be tested";
  first.process->signal(SIGKILL);
  ASSERT_EQ(first.process->wait(10s), 128 + SIGKILL);
  const double killed_at_s = seconds_since(started);

  const auto restarted = Clock::now();
  auto second = start_autoglm(dir, "gateway2", {"serve", "-c", config.string()});
  // A client that lost its answers resubmits: the keys find the first tasks.
  for (int i = 0; i < std::min(n, 50); ++i) {
    auto r = post_json(second.port, "/v1/tasks", chat_task_body("task " + std::to_string(i), 32),
                       {{"idempotency-key", "crash-" + std::to_string(i)}});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(str(json_of(r)["id"]), ids[static_cast<std::size_t>(i)]);
  }
  const auto idle = [&] {
    return !at_least(second.port, "queued", 1) && !at_least(second.port, "running", 1) &&
           !at_least(second.port, "pending", 1);
  };
  ASSERT_TRUE(wait_until(idle, 300s)) << "work left after the restart";
  const double recovery_s = seconds_since(restarted);

  std::atomic<int> not_succeeded{0}, no_output{0}, results_not_one{0}, reruns{0};
  parallel_for(n, [&](int i) {
    const std::string& id = ids[static_cast<std::size_t>(i)];
    auto task = json_of(http_get(second.port, "/v1/tasks/" + id));
    if (str(task["state"]) != "succeeded") ++not_succeeded;
    if (str(task["output_text"]).empty()) ++no_output;
    if (task["attempts"].is_int64() && task["attempts"].as_int64() > 1) ++reruns;
    // Exactly one result: one transition to succeeded in the task's event log.
    if (state_entries(second.port, id, "succeeded") != 1) ++results_not_one;
  });
  EXPECT_EQ(not_succeeded, 0);
  EXPECT_EQ(no_output, 0);
  EXPECT_EQ(results_not_one, 0);
  EXPECT_GT(reruns, 0) << "no task was running at the kill";
  auto run = wait_for_state(second.port, "/v1/dags/" + dag_id, "succeeded", 30s);
  EXPECT_EQ(str(run["state"]), "succeeded") << json::serialize(run);

  std::ostringstream report;
  report << "tasks=" << n << " submit_s=" << submit_s << " accepted_per_s=" << n / submit_s
         << " killed_at_s=" << killed_at_s << " recovery_s=" << recovery_s
         << " total_s=" << seconds_since(started) << " reran_after_crash=" << reruns
         << " lost=" << not_succeeded << " results_not_one=" << results_not_one << "\n";
  std::cout << report.str();
  if (const char* path = std::getenv("AUTOGLM_CRASH_REPORT")) std::ofstream(path) << report.str();
}

}  // namespace
}  // namespace autoglm::testing
