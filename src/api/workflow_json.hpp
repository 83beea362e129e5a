// How durable tasks, DAG runs, triggers and task events look on the wire (/v1/tasks,
// /v1/dags, /v1/cron, /v1/triggers), and the tenant scoping of trigger ids. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "store/records.hpp"
#include "workflow/engine.hpp"

namespace autoglm::api {

// Times as RFC 3339 UTC with milliseconds: "2025-06-01T10:00:00.250Z".
std::string rfc3339(core::Time t);

// {"id": "42", "object": "task", "kind", "model", "modality", "priority", "payload"
//  (as sent to the node: a DAG node's with upstream outputs filled in), "state",
//  "attempts", "failures", "created_at", "started_at", "finished_at", "dag_run",
//  "dag_node", "output" (the stored JSON), "output_text", "error", "ran_on"}.
boost::json::object task_json(const store::TaskRecord& task);
// {"id", "object": "dag_run", "name", "state", "max_parallelism", "created_at",
//  "finished_at"} and, with nodes, "tasks": each node as {"id": <node id>, "task_id",
//  "requires": [<upstream node ids>], ...}.
boost::json::object dag_run_json(const store::DagRunRecord& run);
boost::json::object dag_status_json(const workflow::DagStatus& status);
// {"seq", "task", "dag_run", "state", "at", "detail"}: one server-sent event's data.
boost::json::object task_event_json(const store::TaskEvent& event);
// {"id": <as the tenant wrote it>, "object": "cron_trigger" | "event_trigger", "enabled",
//  "next_fire", "last_fired", "last_target", "created_at", "spec"}.
// `id` is the tenant's own (tenant_trigger_id); the spec shows it instead of the scoped one.
boost::json::object trigger_json(const store::TriggerRecord& trigger, std::string_view id);

// Trigger ids are unique in the store, so each tenant's live in its own namespace:
// "<tenant>/<id>" in the store, "<id>" on the wire.
std::string scoped_trigger_id(std::string_view tenant, std::string_view id);
// The id as the tenant wrote it, or nullopt when `trigger` is not the tenant's.
std::optional<std::string> tenant_trigger_id(const store::TriggerRecord& trigger,
                                             std::string_view tenant);
// A trigger body with "id" scoped and "tenant" set to the caller's (whatever the body
// said), or kInvalidArgument when it is not a JSON object with a string "id".
core::Result<std::string> scope_trigger_body(std::string_view body, std::string_view tenant);

// A decimal id from a path segment; nullopt for anything else (answered as 404).
std::optional<std::int64_t> parse_record_id(std::string_view text);

}  // namespace autoglm::api
