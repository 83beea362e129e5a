// The seam between the workflow engine and whatever runs a task: the gateway implements
// TaskExecutor with its scheduler and proxy; tests use a fake. No Asio here.
#pragma once

#include <functional>
#include <string>

#include "core/task.hpp"
#include "store/records.hpp"

namespace autoglm::workflow {

// A task the engine has leased and hands to the executor.
struct ClaimedTask {
  store::TaskRecord task;  // payload already templated for DAG nodes
  core::PriorityClass priority_class = core::PriorityClass::kBatch;
  // Cache-aware placement: the node that ran an upstream task whose prompt or output this
  // task's prompt contains ("" for none). Prefer it unless it is loaded past the balance
  // threshold.
  std::string preferred_node;
};

struct ExecutionResult {
  bool ok = false;
  std::string output;     // JSON text (e.g. the OpenAI response body) when ok
  std::string error;      // a sentence when !ok
  bool retryable = true;  // false for errors a retry cannot fix (a 400 from the node)
  std::string node;       // the node that served it, "" when unknown
};

// Threading contract:
// - execute() is called by WorkflowEngine::step() on the thread that called step(), with
//   no engine lock held. It must not block: start the work (e.g. co_spawn onto the
//   gateway's io_context) and return.
// - `done` must be called exactly once per execute(), from any thread, possibly inline
//   before execute() returns. It records the outcome in the store (a blocking commit),
//   so from an Asio coroutine post it to a thread that may block. A done() after the
//   engine was destroyed is undefined: keep the engine alive until executions drain.
// - cancel() is best-effort: the task was cancelled, timed out, or lost its lease. The
//   executor should stop the work and still call done (its result is then ignored).
class TaskExecutor {
 public:
  virtual ~TaskExecutor() = default;
  virtual void execute(const ClaimedTask& task, std::function<void(ExecutionResult)> done) = 0;
  virtual void cancel(store::TaskId) {}
};

}  // namespace autoglm::workflow
