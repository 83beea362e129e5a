#include "workflow/task_request.hpp"

#include <boost/json.hpp>

#include "workflow/dag_spec.hpp"
#include "workflow/json_fields.hpp"
#include "workflow/step_kinds.hpp"

namespace autoglm::workflow {

namespace json = boost::json;
using json_fields::get_int;
using json_fields::get_string;

namespace {

// The task as parse::parse_task_payload reads it: a pipeline step becomes the chat
// request it runs as, so its modality, tokens and model are checked like any chat task.
core::Result<std::string> openai_task_body(const json::object& task, const StepKind& kind,
                                           std::string_view payload) {
  if (kind.input == StepInput::kOpenAi) return json::serialize(task);
  auto request = step_request_body(kind, payload);
  if (!request) return request.status();
  json::object as_chat = task;
  as_chat["kind"] = "chat";
  as_chat["payload"] = json::parse(*request);
  return json::serialize(as_chat);
}

core::Result<core::Duration> duration_field(const json::object& o, std::string_view name,
                                            core::Duration fallback) {
  const std::string ms = std::string(name) + "_ms";
  if (o.contains(ms)) {
    auto n = get_int(o, ms, "", 0, 0, 7LL * 24 * 3600 * 1000);
    if (!n) return n.status();
    return core::Duration{std::chrono::milliseconds(*n)};
  }
  const auto* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return fallback;
  if (v->is_string()) return parse_duration(v->get_string(), name);
  auto n = get_int(o, name, "", 0, 0, 7LL * 24 * 3600);
  if (!n) return n.status();
  return core::Duration{std::chrono::seconds(*n)};
}

core::Modality modality_from(std::string_view m) {
  if (m == "vision") return core::Modality::kVision;
  if (m == "speech") return core::Modality::kSpeech;
  return core::Modality::kText;
}

}  // namespace

int default_priority_for_modality(std::string_view modality) {
  if (modality == "speech") return 5;
  if (modality == "vision") return 2;
  return 3;
}

core::Result<store::TaskInput> parse_task_request(std::string_view body, const SubmitContext& ctx,
                                                  const parse::ParseOptions& options,
                                                  core::Time now) {
  auto doc = json_fields::parse_json(body, "the task");
  if (!doc) return doc.status();
  if (!doc->is_object()) return core::invalid_argument("a task must be a JSON object");
  const auto& o = doc->as_object();
  store::TaskInput in;
  in.tenant = ctx.tenant;
  in.idempotency_key = ctx.idempotency_key;
  auto kind_name = get_string(o, "kind", "");
  if (!kind_name) return kind_name.status();
  auto kind = step_kind_or_error(*kind_name, "kind");
  if (!kind) return kind.status();
  in.kind = *kind_name;
  const auto* payload = o.if_contains("payload");
  if (payload == nullptr || !payload->is_object()) {
    return core::invalid_argument(
        "'payload' is required: an object (for chat, the OpenAI "
        "request body)",
        "payload");
  }
  in.payload = json::serialize(*payload);
  auto modality = get_string(o, "modality", "", "text");
  if (!modality) return modality.status();
  in.modality = *modality;
  if (in.modality != "text" && in.modality != "vision" && in.modality != "speech") {
    return core::invalid_argument("modality must be text, vision or speech", "modality");
  }
  auto model = get_string(o, "model", "");
  if (!model) return model.status();
  in.model = *model;
  const bool has_priority = o.contains("priority") || payload->as_object().contains("priority");
  auto task = openai_task_body(o, **kind, in.payload);
  if (!task) return task.status();
  parse::RequestMeta meta;
  meta.tenant = ctx.tenant;
  auto spec = parse::parse_task_payload(*task, meta, options);
  if (!spec) return spec.status();
  in.model = spec->model;
  // A pipeline step's modality is its kind's; an OpenAI body's follows its parts.
  if (spec->modality != core::Modality::kText)
    in.modality = std::string(core::modality_name(spec->modality));
  if (!(*kind)->modality.empty()) in.modality = std::string((*kind)->modality);
  in.priority = has_priority ? spec->priority_level : default_priority_for_modality(in.modality);
  auto cb = get_string(o, "callback_url", "");
  if (!cb) return cb.status();
  if (!cb->empty() && (!cb->starts_with("http://") || cb->size() <= 7 || (*cb)[7] == '/')) {
    return core::invalid_argument(
        "callback_url must be an http:// URL with a host (the gateway POSTs the finished "
        "task there)",
        "callback_url");
  }
  in.callback_url = *cb;
  auto retries = get_int(o, "retries", "", 0, 0, 100);
  if (!retries) return retries.status();
  in.max_retries = static_cast<int>(*retries);
  auto backoff = duration_field(o, "backoff", in.backoff);
  if (!backoff) return backoff.status();
  in.backoff = *backoff;
  auto timeout = duration_field(o, "timeout", in.timeout);
  if (!timeout) return timeout.status();
  in.timeout = *timeout;
  const std::int64_t week_ms = 7LL * 24 * 3600 * 1000;
  if (o.contains("deadline_ms")) {
    auto d = get_int(o, "deadline_ms", "", 0, 1, 30 * week_ms);
    if (!d) return d.status();
    in.deadline = now + std::chrono::milliseconds(*d);
  }
  if (o.contains("run_after_ms")) {
    auto d = get_int(o, "run_after_ms", "", 0, 0, 30 * week_ms);
    if (!d) return d.status();
    in.run_after = now + std::chrono::milliseconds(*d);
  }
  return in;
}

core::Result<core::TaskSpec> task_spec_for(const store::TaskRecord& task,
                                           const parse::ParseOptions& options) {
  auto kind = step_kind_or_error(task.input.kind, "kind");
  if (!kind) return kind.status();
  json::object body;
  body["kind"] = task.input.kind;
  body["model"] = task.input.model;
  body["priority"] = task.input.priority;
  boost::system::error_code ec;
  body["payload"] = json::parse(task.input.payload, ec);
  if (ec) return core::invalid_argument("stored payload is not JSON", "payload");
  auto openai = openai_task_body(body, **kind, task.input.payload);
  if (!openai) return openai.status();
  parse::RequestMeta meta;
  meta.tenant = task.input.tenant;
  auto spec = parse::parse_task_payload(*openai, meta, options);
  if (!spec) return spec.status();
  if (!(*kind)->modality.empty()) spec->modality = modality_from((*kind)->modality);
  spec->id = static_cast<core::TaskId>(task.id);
  return spec;
}

}  // namespace autoglm::workflow
