// WorkflowEngine: cron triggers (firing with missed-slot and overlap policies) and event
// triggers.
#include <charconv>

#include "workflow/dag_validate.hpp"
#include "workflow/engine.hpp"

namespace autoglm::workflow {

using store::TaskState;

namespace {

std::int64_t to_seconds(core::Time t) {
  return std::chrono::floor<std::chrono::seconds>(t).count();
}

core::Time from_seconds(std::int64_t s) { return core::Time{std::chrono::seconds(s)}; }

}  // namespace

core::Status WorkflowEngine::check_target(const TriggerTarget& target) const {
  // Templates ({{event.payload.url}}) are strings here, so they pass the type checks;
  // what they render to is checked again when the trigger fires.
  if (target.kind == TriggerTarget::Kind::kTask) {
    auto check = parse_task_request(target.body, {}, options_.parse, now());
    if (!check)
      return core::invalid_argument("task: " + check.status().message(),
                                    "task." + check.status().param());
    return core::Status::ok();
  }
  auto dag = parse_dag_json(target.body);
  core::Status s = dag ? validate_dag(*dag) : dag.status();
  if (!s) return core::invalid_argument("dag: " + s.message(), "dag." + s.param());
  return core::Status::ok();
}

core::Result<std::string> WorkflowEngine::submit_target(const TriggerTarget& target,
                                                        const SubmitContext& ctx,
                                                        std::string trigger_id) {
  if (target.kind == TriggerTarget::Kind::kTask) {
    auto sub = submit_task(target.body, ctx);
    if (!sub) return sub.status();
    return "task:" + std::to_string(sub->record.id);
  }
  auto spec = parse_dag_json(target.body);
  if (!spec) return spec.status();
  auto sub = submit_dag(*spec, ctx, std::move(trigger_id));
  if (!sub) return sub.status();
  return "dag:" + std::to_string(sub->record.id);
}

bool WorkflowEngine::target_active(std::string_view last) {
  const auto colon = last.find(':');
  if (colon == std::string_view::npos) return false;
  std::int64_t id = 0;
  const auto digits = last.substr(colon + 1);
  std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (last.substr(0, colon) == "task") {
    auto t = store_.get_task(id);
    return t && !store::is_terminal(t->state);
  }
  auto d = store_.get_dag_run(id);
  return d && d->state == TaskState::kRunning;
}

int WorkflowEngine::fire_cron(core::Time t, std::int64_t fence) {
  auto triggers = store_.list_triggers(store::TriggerKind::kCron);
  if (!triggers) return 0;
  int fired = 0;
  for (const auto& rec : *triggers) {
    if (!rec.enabled || !rec.next_fire || *rec.next_fire > t) continue;
    auto spec = parse_cron_trigger(rec.spec, options_.zoneinfo_dir);
    if (!spec) continue;  // validated when added; a vanished tz file keeps it idle
    const FirePlan plan = plan_fires(spec->schedule, spec->tz, to_seconds(*rec.next_fire),
                                     to_seconds(t), spec->missed, options_.cron_grace_seconds);
    std::vector<std::int64_t> slots = plan.fire;
    if (!slots.empty() && spec->overlap != OverlapPolicy::kAllow &&
        target_active(rec.last_target)) {
      if (spec->overlap == OverlapPolicy::kQueue) continue;  // hold the slot until it is free
      slots.clear();
    }
    std::string last_target;
    for (std::int64_t slot : slots) {
      // The slot in the key makes a firing repeated after a crash (fired, then killed
      // before advance_trigger) resolve to the same task or run.
      SubmitContext ctx{spec->tenant, "cron:" + rec.id + ":" + std::to_string(slot)};
      auto target = submit_target(spec->target, ctx, rec.id);
      if (target) {
        last_target = *target;
        ++fired;
      }
    }
    const std::optional<core::Time> next =
        plan.next ? std::optional(from_seconds(*plan.next)) : std::nullopt;
    const std::optional<core::Time> fired_at =
        slots.empty() ? std::nullopt : std::optional(from_seconds(slots.back()));
    (void)store_.advance_trigger(rec.id, rec.next_fire, next, fired_at, last_target, fence);
  }
  return fired;
}

core::Result<store::TriggerRecord> WorkflowEngine::add_cron_trigger(std::string_view body) {
  auto spec = parse_cron_trigger(body, options_.zoneinfo_dir);
  if (!spec) return spec.status();
  if (auto s = check_target(spec->target); !s) return s;
  store::TriggerRecord rec;
  rec.id = spec->id;
  rec.kind = store::TriggerKind::kCron;
  rec.spec = std::string(body);
  rec.enabled = spec->enabled;
  rec.created_at = now();
  if (auto next = next_fire(spec->schedule, spec->tz, to_seconds(rec.created_at))) {
    rec.next_fire = from_seconds(*next);
  }
  if (auto s = store_.put_trigger(rec); !s) return s;
  return rec;
}

core::Result<store::TriggerRecord> WorkflowEngine::add_event_trigger(std::string_view body) {
  auto spec = parse_event_trigger(body);
  if (!spec) return spec.status();
  if (auto s = check_target(spec->target); !s) return s;
  store::TriggerRecord rec;
  rec.id = spec->id;
  rec.kind = store::TriggerKind::kEvent;
  rec.spec = std::string(body);
  rec.enabled = spec->enabled;
  rec.created_at = now();
  if (auto s = store_.put_trigger(rec); !s) return s;
  return rec;
}

core::Status WorkflowEngine::remove_trigger(std::string_view id) {
  return store_.remove_trigger(id);
}

core::Result<std::vector<store::TriggerRecord>> WorkflowEngine::list_triggers(
    std::optional<store::TriggerKind> kind) {
  return store_.list_triggers(kind);
}

core::Result<EventOutcome> WorkflowEngine::post_event(std::string_view body,
                                                      const SubmitContext& ctx) {
  auto event = parse_event(body);
  if (!event) return event.status();
  auto recs = store_.list_triggers(store::TriggerKind::kEvent);
  if (!recs) return recs.status();
  std::vector<EventTriggerSpec> specs;
  for (const auto& r : *recs) {
    auto s = parse_event_trigger(r.spec);
    if (s && s->tenant == ctx.tenant) specs.push_back(std::move(*s));
  }
  EventOutcome out;
  for (const auto& sub : match_event(*event, specs)) {
    SubmitContext c = ctx;
    if (!c.idempotency_key.empty()) c.idempotency_key += ":" + sub.trigger_id;
    auto target = submit_target(sub.target, c, sub.trigger_id);
    if (!target) return target.status();
    const std::int64_t id = std::stoll(target->substr(target->find(':') + 1));
    if (target->starts_with("task:"))
      out.tasks.push_back(id);
    else
      out.dag_runs.push_back(id);
  }
  return out;
}

}  // namespace autoglm::workflow
