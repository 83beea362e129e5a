// WorkflowEngine: DAG submission, status, cancellation and advancement.
#include <map>

#include "workflow/cache_hint.hpp"
#include "workflow/dag_plan.hpp"
#include "workflow/dag_validate.hpp"
#include "workflow/engine.hpp"
#include "workflow/step_kinds.hpp"
#include "workflow/templating.hpp"

namespace autoglm::workflow {

using store::TaskState;

namespace {

store::TaskInput node_input(const DagTaskSpec& t, const SubmitContext& ctx) {
  store::TaskInput in;
  in.tenant = ctx.tenant;
  in.kind = t.kind;
  in.model = t.model;
  // A pipeline step's modality is its kind's (validate_dag checked the kind).
  const StepKind* kind = find_step_kind(t.kind);
  in.modality = kind && !kind->modality.empty() ? std::string(kind->modality) : t.modality;
  in.payload = t.payload;
  in.priority = t.priority;
  in.max_retries = t.retries;
  in.backoff = t.backoff;
  in.timeout = t.timeout;
  in.dag_node = t.id;
  return in;
}

// The spec's nodes' records, in spec order (nullptr where a record is missing).
std::vector<const store::TaskRecord*> by_spec_order(const DagSpec& spec,
                                                    const std::vector<store::TaskRecord>& nodes) {
  std::map<std::string_view, const store::TaskRecord*> by_id;
  for (const auto& n : nodes) by_id[n.input.dag_node] = &n;
  std::vector<const store::TaskRecord*> out;
  for (const auto& t : spec.tasks) {
    auto it = by_id.find(t.id);
    out.push_back(it == by_id.end() ? nullptr : it->second);
  }
  return out;
}

// The released node's payload with upstream outputs filled in, and its placement hint.
store::NodeUpdate release_update(const DagSpec& spec, std::size_t i,
                                 const std::vector<const store::TaskRecord*>& recs) {
  const DagTaskSpec& t = spec.tasks[i];
  std::map<std::string, std::string> outputs;
  std::vector<std::string> prompts, texts;
  std::vector<UpstreamRun> upstream;
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < spec.tasks.size(); ++k) index[spec.tasks[k].id] = k;
  prompts.reserve(t.upstream.size());
  texts.reserve(t.upstream.size());
  for (const auto& u : t.upstream) {
    const store::TaskRecord* rec = recs[index[u]];
    if (rec == nullptr || rec->state != TaskState::kSucceeded || !rec->result) continue;
    texts.push_back(output_text(*rec->result));
    prompts.push_back(prompt_text(rec->input.payload));
    outputs[u] = texts.back();
    upstream.push_back({prompts.back(), texts.back(), rec->ran_on});
  }
  store::NodeUpdate up;
  up.task = recs[i]->id;
  up.state = TaskState::kQueued;
  up.reason = "released: upstream done";
  auto rendered = render_payload(t.payload, outputs);
  up.payload = rendered ? *rendered : t.payload;
  up.preferred_node = preferred_node_hint(prompt_text(*up.payload), upstream);
  return up;
}

}  // namespace

core::Result<store::Submitted<store::DagRunRecord>> WorkflowEngine::submit_dag(
    std::string_view body, const SubmitContext& ctx) {
  auto spec = parse_dag(body);
  if (!spec) return spec.status();
  return submit_dag(*spec, ctx);
}

core::Result<store::Submitted<store::DagRunRecord>> WorkflowEngine::submit_dag(
    const DagSpec& spec, const SubmitContext& ctx, std::string trigger_id) {
  if (auto s = validate_dag(spec); !s) return s;
  store::DagRunInput run;
  run.tenant = ctx.tenant;
  run.name = spec.name;
  run.spec = dag_to_json(spec);
  run.max_parallelism = spec.max_parallelism;
  run.idempotency_key = ctx.idempotency_key;
  run.trigger_id = std::move(trigger_id);
  std::vector<store::TaskInput> nodes;
  for (const auto& t : spec.tasks) nodes.push_back(node_input(t, ctx));
  auto made = store_.create_dag_run(run, nodes, now());
  if (!made) return made;
  std::lock_guard lock(mu_);
  dirty_dags_.insert(made->record.id);  // the next step releases the roots
  return made;
}

core::Result<DagStatus> WorkflowEngine::dag_status(store::DagRunId id) {
  auto run = store_.get_dag_run(id);
  if (!run) return run.status();
  auto nodes = store_.dag_nodes(id);
  if (!nodes) return nodes.status();
  auto spec = parse_dag_json(run->input.spec);
  DagStatus status{std::move(*run), {}};
  if (!spec) {
    status.nodes = std::move(*nodes);
    return status;
  }
  const auto recs = by_spec_order(*spec, *nodes);
  for (std::size_t i : topological_order(*spec)) {
    if (recs[i] != nullptr) status.nodes.push_back(*recs[i]);
  }
  return status;
}

core::Result<store::DagRunPage> WorkflowEngine::page_dag_runs(const store::TaskQuery& query) {
  return store_.page_dag_runs(query);
}

core::Result<std::vector<store::DagRunRecord>> WorkflowEngine::list_dag_runs(
    std::optional<store::TaskState> state, std::size_t limit) {
  return store_.list_dag_runs(state, limit);
}

core::Result<store::DagRunRecord> WorkflowEngine::cancel_dag(store::DagRunId id) {
  std::vector<store::TaskId> to_stop;
  {
    std::lock_guard lock(mu_);
    for (const auto& [tid, r] : running_)
      if (r.task.dag_run == id) to_stop.push_back(tid);
  }
  auto run = store_.cancel_dag_run(id, now());
  if (!run) return run;
  {
    std::lock_guard lock(mu_);
    for (auto tid : to_stop) running_.erase(tid);
  }
  for (auto tid : to_stop) executor_.cancel(tid);
  return run;
}

bool WorkflowEngine::advance_dag(store::DagRunId id, core::Time t, std::int64_t fence) {
  auto retry_later = [&] {
    std::lock_guard lock(mu_);
    dirty_dags_.insert(id);
    return false;
  };
  auto run = store_.get_dag_run(id);
  if (!run) return run.status().code() == core::ErrorCode::kNotFound ? false : retry_later();
  if (run->state != TaskState::kRunning) return false;
  auto spec = parse_dag_json(run->input.spec);
  auto nodes = store_.dag_nodes(id);
  if (!nodes) return retry_later();
  if (!spec) {
    (void)store_.finish_dag_run(id, TaskState::kFailed, t, fence);
    return true;
  }
  const auto recs = by_spec_order(*spec, *nodes);
  std::vector<TaskState> states;
  for (const auto* r : recs) states.push_back(r != nullptr ? r->state : TaskState::kFailed);
  const DagPlan plan = plan_dag(*spec, states);
  std::vector<store::NodeUpdate> updates;
  for (const auto& [i, reason] : plan.skip) {
    if (recs[i] != nullptr)
      updates.push_back({recs[i]->id, TaskState::kSkipped, std::nullopt, "", reason});
  }
  for (std::size_t i : plan.release) {
    if (recs[i] != nullptr) updates.push_back(release_update(*spec, i, recs));
  }
  if (!updates.empty() && !store_.update_dag_nodes(id, updates, t, fence)) return retry_later();
  if (plan.finished && !store_.finish_dag_run(id, *plan.finished, t, fence)) return retry_later();
  return !updates.empty() || plan.finished.has_value();
}

}  // namespace autoglm::workflow
