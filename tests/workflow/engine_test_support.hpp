// Helpers for WorkflowEngine tests: a fake executor that holds each execution until the
// test finishes it, a wall-clock ManualClock, and an engine over an in-memory SqliteStore.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/engine.hpp"

namespace autoglm::workflow::testing {

using namespace std::chrono_literals;

class FakeExecutor final : public TaskExecutor {
 public:
  struct Call {
    ClaimedTask task;
    std::function<void(ExecutionResult)> done;
    bool finished = false;
  };
  void execute(const ClaimedTask& task, std::function<void(ExecutionResult)> done) override {
    calls.push_back({task, std::move(done), false});
  }
  void cancel(store::TaskId id) override { cancelled.push_back(id); }

  // The unfinished call for task `dag_node` (DAG nodes) or any unfinished call ("").
  Call* pending(const std::string& dag_node = "") {
    for (auto& c : calls) {
      if (!c.finished && (dag_node.empty() || c.task.task.input.dag_node == dag_node)) return &c;
    }
    return nullptr;
  }
  void succeed(Call* c, std::string output, std::string node = "node-a") {
    ASSERT_NE(c, nullptr);
    c->finished = true;
    c->done({true, std::move(output), "", true, std::move(node)});
  }
  void fail(Call* c, std::string error, bool retryable = true) {
    ASSERT_NE(c, nullptr);
    c->finished = true;
    c->done({false, "", std::move(error), retryable, "node-a"});
  }

  std::vector<Call> calls;
  std::vector<store::TaskId> cancelled;
};

// 2025-01-01T07:00:00Z
inline core::Time kStart{std::chrono::seconds(1'735'714'800)};

inline std::string chat_body(const std::string& content, const std::string& extra = "") {
  return R"({"kind": "chat", "model": "autoglm-sim-8b", "priority": "batch", )" + extra +
         R"("payload": {"messages": [{"role": "user", "content": ")" + content +
         R"("}], "max_tokens": 64}})";
}

inline std::string chat_output(const std::string& text) {
  return R"({"choices": [{"message": {"role": "assistant", "content": ")" + text + R"("}}]})";
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::SqliteStore::open(":memory:");
    ASSERT_TRUE(s) << s.status().message();
    store_ = std::move(s).value();
    engine_ = make_engine("replica-1");
  }
  std::unique_ptr<WorkflowEngine> make_engine(std::string owner, FakeExecutor* exec = nullptr) {
    EngineOptions opts;
    opts.owner = std::move(owner);
    opts.lease = 30s;
    return std::make_unique<WorkflowEngine>(*store_, exec ? *exec : exec_, clock_, opts);
  }
  store::TaskRecord task(store::TaskId id) { return *store_->get_task(id); }

  core::ManualClock clock_{kStart};
  FakeExecutor exec_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<WorkflowEngine> engine_;
};

}  // namespace autoglm::workflow::testing
