// The durable store's records: async tasks (standalone or DAG nodes), DAG runs, triggers,
// the event log and run-time API keys, as every Store implementation reads and writes them.
// Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace autoglm::store {

using core::Duration;
// Times in the store are wall-clock instants: nanoseconds since the Unix epoch. They must
// survive restarts, so a steady clock's arbitrary epoch will not do.
using core::Time;

using TaskId = std::int64_t;    // assigned by the store, > 0
using DagRunId = std::int64_t;  // assigned by the store, > 0; 0 means "no DAG run"

// A task's life. Standalone tasks use queued, running, succeeded, failed and cancelled;
// DAG nodes start pending (waiting for upstream nodes) and may end skipped.
enum class TaskState : std::uint8_t {
  kPending,
  kQueued,
  kRunning,
  kSucceeded,
  kFailed,
  kSkipped,
  kCancelled
};
std::string_view task_state_name(TaskState s);
std::optional<TaskState> task_state_from_name(std::string_view name);
bool is_terminal(TaskState s);

// What a submitter asks for. The store keeps it verbatim; `payload` is JSON text.
struct TaskInput {
  std::string tenant;         // "" for the default tenant
  std::string kind = "chat";  // chat, completion, embedding or a named pipeline step
  std::string model;
  std::string modality = "text";               // text, vision, speech
  std::string payload = "{}";                  // JSON text handed to the executor
  std::string callback_url;                    // "" for none
  int priority = 3;                            // 0-9, 9 most important (3 is the batch class)
  std::string idempotency_key;                 // "" for none; unique per tenant
  int max_retries = 0;                         // failures tolerated before the task fails for good
  Duration backoff = std::chrono::seconds(1);  // first retry delay; doubles per failure
  Duration timeout{0};                         // per attempt; 0 for none
  std::optional<Time> deadline;                // absolute; informational for the scheduler
  Time run_after{0};                           // not claimable before; 0 means at submission
  std::string dag_node;        // the node's id inside its DAG run ("" when standalone)
  std::string preferred_node;  // cache-aware placement hint ("" for none)
};

struct TaskRecord {
  TaskId id = 0;
  TaskInput input;
  DagRunId dag_run = 0;
  TaskState state = TaskState::kQueued;
  int attempts = 0;  // times claimed (a lease expiry counts as an attempt)
  int failures = 0;  // failed attempts reported through fail()
  Time created_at{0};
  Time updated_at{0};
  std::optional<Time> started_at;   // last claim
  std::optional<Time> finished_at;  // on reaching a terminal state
  std::string owner;                // lease holder while running
  std::optional<Time> lease_expires_at;
  std::optional<std::string> result;  // JSON text; written once
  std::string error;                  // last failure, "" for none
  std::string ran_on;                 // node that produced the result
};

// A record and whether this call created it (false: an idempotent resubmission).
template <typename R>
struct Submitted {
  R record;
  bool created = true;
};

struct TaskQuery {
  std::optional<TaskState> state;
  std::optional<std::string> tenant;  // nullopt for every tenant
  std::size_t limit = 50;             // 1..1000
  std::string cursor;                 // "" for the first page, else a page's next_cursor
};

struct TaskPage {
  std::vector<TaskRecord> tasks;  // newest first
  std::string next_cursor;        // "" when this is the last page
};

struct ClaimRequest {
  std::string owner;  // who takes the lease (replica or worker id)
  Duration lease = std::chrono::seconds(30);
  Time now{0};
  std::size_t max_tasks = 1;
  std::vector<std::string> models;      // empty for any
  std::vector<std::string> modalities;  // empty for any
};

struct TaskResult {
  std::string output;  // JSON text
  std::string ran_on;  // node id, "" when unknown
};

struct TaskFailure {
  std::string error;
  bool retryable = true;  // false fails the task for good at once
};

// complete()'s answer: the task as stored, and whether this call's result was recorded
// (false when another completion came first or the task had already ended).
struct Completion {
  TaskRecord task;
  bool recorded = false;
};

struct DagRunInput {
  std::string tenant;
  std::string name;
  std::string spec;         // the DAG spec as JSON text
  int max_parallelism = 0;  // 0 for unbounded
  std::string idempotency_key;
  std::string trigger_id;  // the trigger that started it, "" for none
};

struct DagRunRecord {
  DagRunId id = 0;
  DagRunInput input;
  TaskState state = TaskState::kRunning;  // running, succeeded, failed or cancelled
  Time created_at{0};
  Time updated_at{0};
  std::optional<Time> finished_at;
};

struct DagRunPage {
  std::vector<DagRunRecord> runs;  // newest first
  std::string next_cursor;         // "" when this is the last page
};

// A pending DAG node moves on: to queued (with its templated payload and placement
// hint) or straight to skipped or cancelled.
struct NodeUpdate {
  TaskId task = 0;
  TaskState state = TaskState::kQueued;
  std::optional<std::string> payload;
  std::string preferred_node;
  std::string reason;  // recorded in the event log
};

// One state change. `seq` increases strictly with every change in the store, so a
// listener resumes with events_since(last seen seq). DAG-level changes carry task 0.
struct TaskEvent {
  std::int64_t seq = 0;
  TaskId task = 0;
  DagRunId dag_run = 0;
  TaskState state = TaskState::kQueued;
  Time at{0};
  std::string detail;
};

enum class TriggerKind : std::uint8_t { kCron, kEvent };
std::string_view trigger_kind_name(TriggerKind k);

// A cron or event trigger. The store treats `spec` as opaque JSON; workflow/ owns it.
struct TriggerRecord {
  std::string id;  // chosen by the user, unique
  TriggerKind kind = TriggerKind::kCron;
  std::string spec;
  bool enabled = true;
  std::optional<Time> next_fire;  // cron: next slot due
  std::optional<Time> last_fired;
  std::string last_target;  // "task:<id>" or "dag:<id>" of the last firing
  Time created_at{0};
};

// An API key created at run time (POST /admin/v1/keys). Only the SHA-256 of the secret is
// stored, never the secret. Rows are never deleted: revoking sets revoked_at, so every
// replica that lists the keys learns of it. The scope fields narrow what the key may do
// within its tenant; their meaning belongs to tenancy/ (the store keeps them verbatim).
struct ApiKeyRecord {
  std::string id;  // unique, e.g. "key_" + 16 hex digits
  std::string tenant;
  std::string key_hash;  // 64 lower-case hex digits; unique
  bool admin = false;
  std::string label;
  std::string default_class;        // a priority class name; "" for the tenant's
  std::vector<std::string> models;  // empty: every model the tenant may use
  double requests_per_second = 0;   // 0: no per-key rate limit
  double burst = 0;
  std::int64_t max_concurrent = 0;  // 0: no per-key bound
  Time created_at{0};
  std::optional<Time> revoked_at;

  bool operator==(const ApiKeyRecord&) const = default;
};

}  // namespace autoglm::store
