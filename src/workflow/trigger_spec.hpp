// Trigger specs: cron triggers (schedule, time zone, missed/overlap policy) and event
// triggers (event name + modalities), each bound to a task or DAG template. Pure parsing/matching.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "workflow/cron_expr.hpp"
#include "workflow/cron_schedule.hpp"
#include "workflow/time_zone.hpp"

namespace autoglm::workflow {

// What a trigger starts: a task (a POST /v1/tasks body) or a DAG (a POST /v1/dags body).
struct TriggerTarget {
  enum class Kind { kTask, kDag } kind = Kind::kTask;
  std::string body;  // JSON text
};

// {"id", "schedule": "0 8 * * *" | "@daily", "timezone": "Europe/Berlin" (default UTC),
//  "missed": "skip"|"run_once"|"run_all" (default skip), "overlap": "skip"|"queue"|"allow"
//  (default skip), "enabled": true, "tenant": "acme" (set by the gateway from the caller),
//  "task": {...} | "dag": {...}}
struct CronTriggerSpec {
  std::string id;
  std::string tenant;  // whose tasks and runs a firing makes; "" for the default tenant
  CronExpr schedule;
  TimeZone tz = TimeZone::utc();
  MissedPolicy missed = MissedPolicy::kSkip;
  OverlapPolicy overlap = OverlapPolicy::kSkip;
  bool enabled = true;
  TriggerTarget target;
};

// {"id", "event": "audio.uploaded", "modalities": ["speech"] (empty or absent for any),
//  "enabled": true, "tenant": "acme", "task": {...} | "dag": {...}}. String values of the
// template may use {{event.name}}, {{event.payload}} and {{event.payload.<field>}}. Only
// events posted by the trigger's tenant fire it.
struct EventTriggerSpec {
  std::string id;
  std::string tenant;  // "" for the default tenant
  std::string event;
  std::vector<std::string> modalities;
  bool enabled = true;
  TriggerTarget target;
};

// POST /v1/events: {"name", "timestamp" (optional, RFC 3339 or ms, informational),
// "modality": "text"|"vision"|"speech" (default text), "payload": any JSON}.
struct Event {
  std::string name;
  std::string modality = "text";
  std::string payload = "null";  // JSON text
  std::string timestamp;
};

core::Result<CronTriggerSpec> parse_cron_trigger(
    std::string_view json_text, std::string_view zoneinfo_dir = "/usr/share/zoneinfo");
core::Result<EventTriggerSpec> parse_event_trigger(std::string_view json_text);
core::Result<Event> parse_event(std::string_view json_text);

// The submissions an event causes: each enabled trigger with the event's name and (when
// it lists modalities) its modality, with the template rendered. A task template with no
// priority gets the event modality's default (speech above vision) and its modality.
struct EventSubmission {
  std::string trigger_id;
  TriggerTarget target;  // rendered
};
std::vector<EventSubmission> match_event(const Event& event,
                                         const std::vector<EventTriggerSpec>& triggers);

}  // namespace autoglm::workflow
