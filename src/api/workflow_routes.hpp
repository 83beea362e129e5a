// The HTTP routes of durable work, one file per group: tasks_routes.cpp (/v1/tasks),
// dags_routes.cpp (/v1/dags), trigger_routes.cpp (/v1/cron, /v1/triggers, /v1/events).
// Every record is scoped by the caller's tenant: another tenant's id answers 404.
#pragma once

namespace autoglm::api {

class Gateway;
class WorkflowService;

// Each adds its routes to `gateway`; `service` must outlive the gateway's server.
void add_task_routes(Gateway& gateway, WorkflowService& service);
void add_dag_routes(Gateway& gateway, WorkflowService& service);
void add_trigger_routes(Gateway& gateway, WorkflowService& service);

}  // namespace autoglm::api
