// Async task requests: the POST /v1/tasks body into the store's TaskInput, and a claimed
// task back into the scheduler's TaskSpec. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"
#include "core/task.hpp"
#include "parse/task_parser.hpp"
#include "store/records.hpp"

namespace autoglm::workflow {

// What the transport knows besides the body.
struct SubmitContext {
  std::string tenant;           // from authentication; "" for the default tenant
  std::string idempotency_key;  // the Idempotency-Key header, "" when absent
};

// The default numeric priority of a task with none given, by modality: real-time speech
// gets the standard class (5), text and vision the batch class (3 and 2).
int default_priority_for_modality(std::string_view modality);

// {"kind": "chat"|"completion"|"embedding"|<pipeline step>, "model", "priority",
//  "modality", "payload": {...}, "callback_url", "retries", "backoff" | "backoff_ms",
//  "timeout" | "timeout_ms", "deadline_ms", "run_after_ms"}. The kind must be one of
// step_kinds() (an unknown one is an error listing them). A pipeline step's payload is
// checked by step_request_body and its modality is the kind's; then, for every kind, the
// OpenAI request it runs as is checked by parse::parse_task_payload (a model is required),
// which sets the modality of OpenAI kinds from their parts (vision for image parts, speech
// for audio). Without a priority the modality's default applies. Times: deadline_ms and
// run_after_ms are relative to `now`.
core::Result<store::TaskInput> parse_task_request(std::string_view body, const SubmitContext& ctx,
                                                  const parse::ParseOptions& options,
                                                  core::Time now);

// The scheduler's view of a stored task (kind kAsync): the OpenAI request it runs as,
// through parse::parse_task_payload, with a pipeline step's modality its kind's.
core::Result<core::TaskSpec> task_spec_for(const store::TaskRecord& task,
                                           const parse::ParseOptions& options);

}  // namespace autoglm::workflow
