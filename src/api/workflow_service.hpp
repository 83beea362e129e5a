// The gateway's durable-work service: the store opened from database.url, the
// WorkflowEngine with its loopback executor, the thread that drives the engine, and the
// workers that run the HTTP routes' blocking store calls off the I/O threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "core/status.hpp"
#include "monitor/node_registry.hpp"
#include "store/store.hpp"
#include "workflow/engine.hpp"
#include "workflow/wall_clock.hpp"

namespace boost::asio {
class io_context;
class thread_pool;
}  // namespace boost::asio

namespace autoglm::api {

class Gateway;
class LoopbackExecutor;

// Life cycle (serve.cpp): open() → attach() before the server starts → start(port)
// once it listens → stop() after the io_context has stopped running.
// Threading: engine() and workers() may be used from any thread; the engine's step()
// runs only on the service's own thread.
class WorkflowService {
 public:
  // This replica's fencing token while it leads, nullopt while it does not; empty for a
  // single gateway (see workflow::EngineOptions::leadership).
  using Leadership = std::function<std::optional<std::int64_t>()>;

  // Opens the store (creating a SQLite file's directory) and builds the engine. An error
  // here is a start-up failure for the caller to report.
  static core::Result<std::unique_ptr<WorkflowService>> open(boost::asio::io_context& io,
                                                             const config::Config& config,
                                                             Leadership leadership = {});
  // Over an already open store (tests use an in-memory one).
  WorkflowService(boost::asio::io_context& io, const config::Config& config,
                  std::unique_ptr<store::Store> store, Leadership leadership = {});
  ~WorkflowService();
  WorkflowService(const WorkflowService&) = delete;
  WorkflowService& operator=(const WorkflowService&) = delete;

  // Registers /v1/tasks, /v1/dags, /v1/cron, /v1/triggers and /v1/events (workflow_routes.hpp)
  // and gives the executor the gateway's loopback credential. `gateway` outlives stop().
  void attach(Gateway& gateway);
  // Points the executor at the gateway's bound port and starts driving the engine.
  void start(std::uint16_t port);
  // Stops the engine thread and waits for the workers. Tasks still running keep their
  // lease and are claimed again once it expires, by the next start. Idempotent.
  void stop();
  // Asks for an engine step now instead of at the next interval (after a submission or
  // a finished task), so work starts without waiting for the timer.
  void wake();

  workflow::WorkflowEngine& engine() { return *engine_; }
  boost::asio::thread_pool& workers() { return *workers_; }

 private:
  void run_loop();
  // Puts what a step did on the gateway's /metrics (vision batches).
  void record(const workflow::StepReport& report);

  const config::WorkflowConfig options_;
  const std::string host_;
  const std::string context_path_;
  workflow::WallClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
  std::unique_ptr<LoopbackExecutor> executor_;
  std::unique_ptr<workflow::WorkflowEngine> engine_;
  std::size_t claim_batch_ = 0;
  Gateway* gateway_ = nullptr;  // set by attach(), before the engine thread starts

  std::mutex mu_;
  std::condition_variable wake_cv_;
  bool stopping_ = false;  // guarded by mu_
  bool woken_ = false;     // guarded by mu_
  std::thread loop_;
};

// Elastic vision batching's view of the nodes: those taking work that serve `model` and
// report their GPU memory (agents, from NVML), with total - used as their free bytes.
std::vector<workflow::NodeMemory> vision_nodes_from(const std::vector<monitor::NodeReport>& nodes,
                                                    const std::string& model);

// The lease owner for this process: "<host>:<pid>:<start ms>", unique across restarts.
std::string workflow_owner_id();

}  // namespace autoglm::api
