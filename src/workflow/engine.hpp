// WorkflowEngine: durable async tasks, DAG runs, cron and event triggers over a Store, with
// work handed to an injected TaskExecutor. The gateway owns one; tests drive it with a fake clock.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "parse/task_parser.hpp"
#include "store/store.hpp"
#include "workflow/dag_spec.hpp"
#include "workflow/executor.hpp"
#include "workflow/task_request.hpp"
#include "workflow/trigger_spec.hpp"
#include "workflow/vision_batch.hpp"

namespace autoglm::workflow {

struct EngineOptions {
  std::string owner = "autoglm";  // lease owner: unique per process (host:pid)
  core::Duration lease = std::chrono::seconds(30);
  std::size_t max_in_flight = 64;        // tasks handed to the executor and not yet done
  std::size_t claim_batch = 16;          // most tasks claimed per step
  std::vector<std::string> models;       // claim only these models (empty: any)
  std::int64_t cron_grace_seconds = 60;  // a slot older than this when seen is "missed"
  std::string zoneinfo_dir = "/usr/share/zoneinfo";
  parse::ParseOptions parse;  // for validating task payloads
  // Several gateway replicas on one store: only the leader fires cron triggers and
  // advances DAG runs. Returns this replica's fencing token while it leads (passed to the
  // store's leader-only writes) and nullopt while it does not. Empty: a single gateway,
  // always the leader, token 0 (unfenced).
  std::function<std::optional<std::int64_t>()> leadership;
  // Called once a task this engine ran reaches a final state (its result recorded, or
  // failed for good), with the task as stored, on the thread that reported the
  // execution's end. For callback URLs; must not block for long.
  std::function<void(const store::TaskRecord&)> on_finished;
  // How often a leader re-reads every running DAG run, to advance those whose nodes
  // finished on other replicas (only with `leadership`).
  core::Duration dag_rescan = std::chrono::seconds(1);
  // Elastic batching of vision tasks (docs/workflows.md): the healthy nodes serving a
  // model, with their free GPU memory. Called from step() only, and must not block.
  // Empty (the default), or no node listed: vision tasks go out one by one like any other.
  std::function<std::vector<NodeMemory>(const std::string& model)> vision_nodes;
  BatchLimits vision_batch;
};

// Vision tasks of one model sent to one node together (engine_vision.cpp).
struct VisionBatch {
  std::string model;
  std::string node;
  int size = 0;
};

// What one step() did, for logs, metrics and tests.
struct StepReport {
  int cron_fired = 0;
  int dags_advanced = 0;
  int renewed = 0;
  int timed_out = 0;
  int dispatched = 0;
  std::vector<VisionBatch> vision_batches;  // of 2 or more tasks each, in the order formed

  int vision_batched() const;  // tasks in those batches
};

// A DAG run with its nodes in topological order.
struct DagStatus {
  store::DagRunRecord run;
  std::vector<store::TaskRecord> nodes;
};

struct EventOutcome {
  std::vector<store::TaskId> tasks;
  std::vector<store::DagRunId> dag_runs;
};

// Threading: every public method may be called from any thread. Methods that touch the
// store block on its commits (see Store), so call them from a thread that may block.
// step() must not run concurrently with itself (one driver: a timer on a strand or a
// dedicated thread). Executor callbacks (`done`) may arrive on any thread.
// The clock must be a wall clock (nanoseconds since the Unix epoch): times are stored.
class WorkflowEngine {
 public:
  WorkflowEngine(store::Store& store, TaskExecutor& executor, const core::Clock& wall_clock,
                 EngineOptions options);
  ~WorkflowEngine();
  WorkflowEngine(const WorkflowEngine&) = delete;
  WorkflowEngine& operator=(const WorkflowEngine&) = delete;

  // --- async tasks (POST/GET/DELETE /v1/tasks) ---
  // Parses and validates `body` (see parse_task_request) and commits it: when this
  // returns OK the task is durable and the API may answer 201 (200 when !created).
  core::Result<store::Submitted<store::TaskRecord>> submit_task(std::string_view body,
                                                                const SubmitContext& ctx);
  core::Result<store::Submitted<store::TaskRecord>> submit_task(const store::TaskInput& input);
  core::Result<store::TaskRecord> get_task(store::TaskId id);
  core::Result<store::TaskPage> list_tasks(const store::TaskQuery& query);
  // Cancels in the store, then asks the executor to stop it if it runs here.
  core::Result<store::TaskRecord> cancel_task(store::TaskId id);
  // For GET /v1/tasks/{id}/events (SSE): events after `after_seq`; task 0 for all.
  core::Result<std::vector<store::TaskEvent>> events_since(std::int64_t after_seq,
                                                           std::size_t limit, store::TaskId task);

  // --- DAG runs (POST/GET/DELETE /v1/dags) ---
  // `body` is JSON or YAML; validated before anything is stored.
  core::Result<store::Submitted<store::DagRunRecord>> submit_dag(std::string_view body,
                                                                 const SubmitContext& ctx);
  core::Result<store::Submitted<store::DagRunRecord>> submit_dag(const DagSpec& spec,
                                                                 const SubmitContext& ctx,
                                                                 std::string trigger_id = {});
  core::Result<DagStatus> dag_status(store::DagRunId id);
  // Every tenant's runs, newest first; nullopt state for all.
  core::Result<std::vector<store::DagRunRecord>> list_dag_runs(
      std::optional<store::TaskState> state, std::size_t limit);
  // One page of runs for GET /v1/dags (tenant, state, limit, cursor), newest first.
  core::Result<store::DagRunPage> page_dag_runs(const store::TaskQuery& query);
  core::Result<store::DagRunRecord> cancel_dag(store::DagRunId id);

  // --- triggers (/v1/cron, /v1/triggers) ---
  // Validates the spec (trigger_spec.hpp) and its task or DAG template (as POST /v1/tasks
  // or /v1/dags would, errors named "task.<field>" or "dag.<field>"), and stores it with
  // its next slot after now. Replaces a trigger with the same id.
  core::Result<store::TriggerRecord> add_cron_trigger(std::string_view body);
  core::Result<store::TriggerRecord> add_event_trigger(std::string_view body);
  core::Status remove_trigger(std::string_view id);
  core::Result<std::vector<store::TriggerRecord>> list_triggers(
      std::optional<store::TriggerKind> kind);
  // POST /v1/events: submits what the matching event triggers of ctx.tenant produce.
  core::Result<EventOutcome> post_event(std::string_view body, const SubmitContext& ctx);

  // --- driving ---
  // One round: resume running DAG runs (first call only), fire due cron triggers, renew
  // leases and time out overdue tasks, advance DAG runs whose nodes finished, claim
  // ready tasks up to max_in_flight, group claimed vision tasks into batches for one node
  // each (with vision_nodes), and hand them to the executor. Call it on a timer (every
  // 50-200 ms) and after submissions. REQUIRES: not concurrent with itself.
  StepReport step();

  // Tasks handed to the executor whose done() has not come back yet.
  std::size_t in_flight() const;

 private:
  struct Running {
    store::TaskRecord task;
    core::Time lease_expires_at;
  };

  core::Time now() const { return clock_.now(); }
  void on_done(store::TaskId id, store::DagRunId dag, const ExecutionResult& result);
  int fire_cron(core::Time now, std::int64_t fence);
  bool target_active(std::string_view last_target);
  // A trigger's task or DAG template, checked as its submission would be.
  core::Status check_target(const TriggerTarget& target) const;
  core::Result<std::string> submit_target(const TriggerTarget& target, const SubmitContext& ctx,
                                          std::string trigger_id);
  void maintain_leases(core::Time now, StepReport& report);
  bool advance_dag(store::DagRunId id, core::Time now, std::int64_t fence);
  std::optional<std::int64_t> leader_fence() const;
  std::size_t room() const;
  std::vector<ClaimedTask> claim(core::Time now, std::size_t max_tasks,
                                 std::vector<std::string> models,
                                 std::vector<std::string> modalities = {});
  void batch_vision(std::vector<ClaimedTask>& claimed, core::Time now, StepReport& report);
  void batch_model(std::vector<ClaimedTask>& claimed, const std::string& model, core::Time now,
                   StepReport& report);

  store::Store& store_;
  TaskExecutor& executor_;
  const core::Clock& clock_;
  const EngineOptions options_;

  mutable std::mutex mu_;
  std::map<store::TaskId, Running> running_;  // guarded by mu_
  std::set<store::DagRunId> dirty_dags_;      // guarded by mu_: runs with a finished node
  bool recovered_ = false;                    // step() only
  core::Time last_rescan_{0};                 // step() only
};

}  // namespace autoglm::workflow
