// The TaskExecutor the gateway gives its WorkflowEngine: each claimed task is sent to the
// gateway's own OpenAI route on loopback, so async work meets the same scheduler, admission
// and proxy as interactive requests, in the task's own priority class.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "workflow/executor.hpp"

namespace boost::asio {
class io_context;
}

namespace autoglm::api {

// One loopback call, built from a claimed task.
struct LoopbackCall {
  std::string path;  // the OpenAI route, relative to the context path
  std::string body;  // the payload with "model" filled in and "stream" off
  std::vector<std::pair<std::string, std::string>> headers;
};

// The call for `task` at wall-clock `now`, from the kind's entry in workflow::step_kinds():
// chat → /v1/chat/completions, completion → /v1/completions, embedding → /v1/embeddings,
// and each pipeline step (image_classification, speech_transcription, ...) → the chat
// request step_request_body builds from its payload. x-autoglm-priority carries the task's
// level (0-9), x-autoglm-deadline-ms the time left to its deadline (at least 1), and
// x-autoglm-prefer-node the claim's preferred_node when set. kInvalidArgument for an
// unknown kind or a payload the kind does not accept.
core::Result<LoopbackCall> loopback_request(const workflow::ClaimedTask& task, core::Time now);

// The outcome of an HTTP answer: 2xx succeeds with the body as output; 408, 409, 429 and
// 5xx are retryable failures; any other status is final (a retry cannot fix the request).
// (The executor itself waits and asks again on 429 and 503, which mean the scheduler
// turned the task away before it started; those do not use up the task's retries.)
// `node` is the x-autoglm-node header, "" when absent.
workflow::ExecutionResult loopback_result(unsigned status, std::string body, std::string node);

struct LoopbackOptions {
  // Total time for one call; the engine's per-task timeout, when shorter, cancels earlier.
  std::chrono::milliseconds timeout{300'000};
  // Runs `fn` on a thread that may block: done() commits the outcome to the store.
  std::function<void(std::function<void()>)> post_blocking;
};

// The headers that let a loopback call act for a tenant (Gateway::loopback_headers).
using TenantHeaders =
    std::function<std::vector<std::pair<std::string, std::string>>(std::string_view tenant)>;

// Threading: execute(), cancel() and cancel_all() may be called from any thread. Each
// call runs as a coroutine on its own strand of `io`; the table of calls in flight is
// guarded by mu_. `done` runs through post_blocking. REQUIRES: set_base_url() before the
// first execute(); the executor outlives `io`'s run (calls hold a pointer to it).
class LoopbackExecutor final : public workflow::TaskExecutor {
 public:
  LoopbackExecutor(boost::asio::io_context& io, const core::Clock& wall_clock,
                   LoopbackOptions options);
  ~LoopbackExecutor() override;
  LoopbackExecutor(const LoopbackExecutor&) = delete;
  LoopbackExecutor& operator=(const LoopbackExecutor&) = delete;

  // "http://127.0.0.1:<port><context-path>": where the gateway listens.
  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }
  // Adds each task's tenant credential to its call (needed when authentication is on).
  // REQUIRES: before the first execute().
  void set_tenant_headers(TenantHeaders headers) { tenant_headers_ = std::move(headers); }

  void execute(const workflow::ClaimedTask& task,
               std::function<void(workflow::ExecutionResult)> done) override;
  // Aborts the call's HTTP exchange (the gateway then frees its scheduler slot); its
  // done() still runs, with a failure the engine ignores.
  void cancel(store::TaskId id) override;
  std::size_t in_flight() const;

 private:
  struct Call;  // per-call strand and cancellation signal (loopback_executor.cpp)
  void finish(store::TaskId id, const std::shared_ptr<Call>& call);

  boost::asio::io_context& io_;
  const core::Clock& clock_;
  const LoopbackOptions options_;
  std::string base_url_;
  TenantHeaders tenant_headers_;

  mutable std::mutex mu_;
  std::map<store::TaskId, std::shared_ptr<Call>> calls_;  // guarded by mu_
};

}  // namespace autoglm::api
