// WorkflowEngine: async tasks, leases, timeouts, claiming and completions.
#include "workflow/engine.hpp"

#include <algorithm>

namespace autoglm::workflow {

using store::TaskState;

WorkflowEngine::WorkflowEngine(store::Store& store, TaskExecutor& executor,
                               const core::Clock& wall_clock, EngineOptions options)
    : store_(store), executor_(executor), clock_(wall_clock), options_(std::move(options)) {}

WorkflowEngine::~WorkflowEngine() = default;

core::Result<store::Submitted<store::TaskRecord>> WorkflowEngine::submit_task(
    std::string_view body, const SubmitContext& ctx) {
  const core::Time t = now();
  auto input = parse_task_request(body, ctx, options_.parse, t);
  if (!input) return input.status();
  return store_.submit_task(*input, t);
}

core::Result<store::Submitted<store::TaskRecord>> WorkflowEngine::submit_task(
    const store::TaskInput& input) {
  return store_.submit_task(input, now());
}

core::Result<store::TaskRecord> WorkflowEngine::get_task(store::TaskId id) {
  return store_.get_task(id);
}

core::Result<store::TaskPage> WorkflowEngine::list_tasks(const store::TaskQuery& query) {
  return store_.list_tasks(query);
}

core::Result<store::TaskRecord> WorkflowEngine::cancel_task(store::TaskId id) {
  auto rec = store_.cancel_task(id, now());
  if (!rec) return rec;
  bool was_running = false;
  {
    std::lock_guard lock(mu_);
    was_running = running_.erase(id) > 0;
    if (rec->dag_run != 0) dirty_dags_.insert(rec->dag_run);
  }
  if (was_running) executor_.cancel(id);
  return rec;
}

core::Result<std::vector<store::TaskEvent>> WorkflowEngine::events_since(std::int64_t after_seq,
                                                                         std::size_t limit,
                                                                         store::TaskId task) {
  return store_.events_since(after_seq, limit, task);
}

std::size_t WorkflowEngine::in_flight() const {
  std::lock_guard lock(mu_);
  return running_.size();
}

void WorkflowEngine::on_done(store::TaskId id, store::DagRunId dag, const ExecutionResult& r) {
  const core::Time t = now();
  // The store decides what counts: the first result wins, a stale owner's failure is
  // ignored. Errors here (store unavailable) leave the lease to expire and the task to
  // be claimed again, which is safe because completion is idempotent.
  std::optional<store::TaskRecord> finished;
  if (r.ok) {
    auto c = store_.complete(id, options_.owner, {r.output, r.node}, t);
    if (c && c->recorded) finished = std::move(c->task);
  } else {
    auto f = store_.fail(id, options_.owner, {r.error, r.retryable}, t);
    // finished_at == t: this report failed it (not an earlier one; fail() from a
    // non-holder returns the task unchanged).
    if (f && f->state == TaskState::kFailed && f->finished_at == t) finished = std::move(*f);
  }
  if (finished && options_.on_finished) options_.on_finished(*finished);
  std::lock_guard lock(mu_);
  running_.erase(id);
  if (dag != 0) dirty_dags_.insert(dag);
}

void WorkflowEngine::maintain_leases(core::Time t, StepReport& report) {
  std::vector<Running> snapshot;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, r] : running_) snapshot.push_back(r);
  }
  for (auto& r : snapshot) {
    const auto& task = r.task;
    const bool overdue = task.input.timeout.count() > 0 && task.started_at &&
                         t - *task.started_at >= task.input.timeout;
    bool drop = false;
    if (overdue) {
      const auto secs = std::chrono::duration_cast<std::chrono::milliseconds>(task.input.timeout);
      (void)store_.fail(task.id, options_.owner,
                        {"timed out after " + std::to_string(secs.count()) + " ms", true}, t);
      ++report.timed_out;
      drop = true;
    } else if (r.lease_expires_at - t <= options_.lease / 2) {
      const core::Time until = t + options_.lease;
      const core::Status renewed = store_.renew_lease(task.id, options_.owner, until, t);
      if (renewed) {
        ++report.renewed;
        std::lock_guard lock(mu_);
        if (auto it = running_.find(task.id); it != running_.end())
          it->second.lease_expires_at = until;
      } else if (renewed.code() == core::ErrorCode::kNotFound) {
        drop = true;  // cancelled, or the lease was lost to another claimer
      }               // else the store is unavailable: try again next step
    }
    if (drop) {
      {
        std::lock_guard lock(mu_);
        running_.erase(task.id);
        if (task.dag_run != 0) dirty_dags_.insert(task.dag_run);
      }
      executor_.cancel(task.id);
    }
  }
}

std::size_t WorkflowEngine::room() const {
  std::lock_guard lock(mu_);
  return options_.max_in_flight > running_.size() ? options_.max_in_flight - running_.size() : 0;
}

std::vector<ClaimedTask> WorkflowEngine::claim(core::Time t, std::size_t max_tasks,
                                               std::vector<std::string> models,
                                               std::vector<std::string> modalities) {
  std::vector<ClaimedTask> out;
  if (max_tasks == 0) return out;
  store::ClaimRequest req;
  req.owner = options_.owner;
  req.lease = options_.lease;
  req.now = t;
  req.max_tasks = max_tasks;
  req.models = std::move(models);
  req.modalities = std::move(modalities);
  auto claimed = store_.claim(req);
  if (!claimed) return out;
  std::lock_guard lock(mu_);
  for (auto& task : *claimed) {
    running_[task.id] = Running{task, t + options_.lease};
    ClaimedTask c;
    c.priority_class = core::priority_class_for_level(task.input.priority);
    c.preferred_node = task.input.preferred_node;
    c.task = std::move(task);
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<std::int64_t> WorkflowEngine::leader_fence() const {
  if (!options_.leadership) return 0;
  return options_.leadership();
}

StepReport WorkflowEngine::step() {
  StepReport report;
  const core::Time t = now();
  const std::optional<std::int64_t> fence = leader_fence();
  // After a restart, and on a leader of several replicas every dag_rescan (their nodes
  // finish on every replica): runs whose progress was not yet recorded are re-planned.
  const bool rescan =
      !recovered_ || (options_.leadership && t - last_rescan_ >= options_.dag_rescan);
  if (fence && rescan) {
    if (auto runs = store_.list_dag_runs(TaskState::kRunning, 100000); runs) {
      std::lock_guard lock(mu_);
      for (const auto& r : *runs) dirty_dags_.insert(r.id);
      recovered_ = true;
      last_rescan_ = t;
    }
  }
  if (fence) report.cron_fired = fire_cron(t, *fence);
  maintain_leases(t, report);
  std::set<store::DagRunId> dirty;
  {
    std::lock_guard lock(mu_);
    dirty.swap(dirty_dags_);
  }
  // A follower leaves DAG progress to the leader, which finds it at its next rescan.
  if (fence) {
    for (store::DagRunId id : dirty) report.dags_advanced += advance_dag(id, t, *fence) ? 1 : 0;
  }
  auto claimed = claim(t, std::min(room(), options_.claim_batch), options_.models);
  batch_vision(claimed, t, report);
  for (auto& c : claimed) {
    const store::TaskId id = c.task.id;
    const store::DagRunId dag = c.task.dag_run;
    ++report.dispatched;
    executor_.execute(c, [this, id, dag](ExecutionResult r) { on_done(id, dag, r); });
  }
  return report;
}

}  // namespace autoglm::workflow
