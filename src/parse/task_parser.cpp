#include "parse/task_parser.hpp"

#include <array>
#include <boost/json.hpp>
#include <cstddef>
#include <optional>

#include "parse/json_errors.hpp"
#include "parse/json_pick.hpp"
#include "parse/openai_inputs.hpp"
#include "parse/request_fields.hpp"

namespace autoglm::parse {
namespace json = boost::json;
using core::invalid_argument;

namespace {

// A typical request's DOM fits on the stack; larger ones spill to the heap, in a few
// large blocks.
constexpr std::size_t kArenaBytes = 16 * 1024;
constexpr int kMaxJsonDepth = 64;
constexpr std::int64_t kMaxTokenCount = 2147483647;

std::string_view as_view(const json::string& s) { return {s.data(), s.size()}; }

// Parses `body` into a value whose memory lives in `arena`.
core::Result<json::value> parse_json(std::string_view body, json::monotonic_resource& arena) {
  if (body.empty()) return invalid_argument("the request body is empty; send a JSON object");
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  unsigned char parser_stack[1024];
  json::parser parser(json::storage_ptr(), options, parser_stack);
  parser.reset(json::storage_ptr(&arena));
  json::error_code ec;
  const std::size_t used = parser.write(body.data(), body.size(), ec);
  if (ec == json::error::too_deep) {
    return invalid_argument("the request body nests deeper than " + std::to_string(kMaxJsonDepth) +
                            " levels");
  }
  if (ec) {
    return invalid_argument("the request body is not valid JSON (" + ec.message() + " at byte " +
                            std::to_string(used) + "); send a JSON object in UTF-8");
  }
  return parser.release();
}

core::Result<const json::object*> top_object(const json::value& doc) {
  if (const json::object* obj = doc.if_object()) return obj;
  return invalid_argument("the request body must be a JSON object, got " +
                          std::string(json_type_name(doc)));
}

// The top-level fields the parser reads besides an OpenAI body's input (read_inputs finds
// those), picked in one pass. A null value counts as absent.
struct Fields {
  const json::value* model;
  const json::value* stream;
  const json::value* max_completion_tokens;
  const json::value* max_tokens;
  const json::value* priority;
  const json::value* latency;
  const json::value* kind;
  const json::value* payload;
  const json::value* preemptible;
};

Fields fields_of(const json::object& obj) {
  static constexpr std::array<std::string_view, 9> kKeys = {
      "model",   "stream",     "max_completion_tokens", "max_tokens", "priority", "latency", "kind",
      "payload", "preemptible"};
  auto f = pick(obj, kKeys);
  for (auto& v : f) {
    if (v && v->is_null()) v = nullptr;
  }
  return Fields{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]};
}

core::Result<std::optional<std::string_view>> read_model(const json::value* v,
                                                         std::string_view path) {
  if (!v) return std::optional<std::string_view>{};
  const json::string* s = v->if_string();
  if (!s || s->empty()) {
    return field_error(path, "model", "must be a non-empty string, got " + describe_json(*v));
  }
  return std::optional<std::string_view>{as_view(*s)};
}

// A whole number from 1 to kMaxTokenCount, or nullopt if the field is absent.
core::Result<std::optional<std::int64_t>> read_token_count(const json::value* v,
                                                           std::string_view path,
                                                           std::string_view key) {
  if (!v) return std::optional<std::int64_t>{};
  if (v->is_int64() && v->get_int64() >= 1 && v->get_int64() <= kMaxTokenCount) {
    return std::optional<std::int64_t>{v->get_int64()};
  }
  return field_error(path, key,
                     "must be a whole number from 1 to " + std::to_string(kMaxTokenCount) +
                         ", got " + describe_json(*v));
}

core::Result<std::optional<bool>> read_bool(const json::value* v, std::string_view path,
                                            std::string_view key) {
  if (!v) return std::optional<bool>{};
  if (const bool* b = v->if_bool()) return std::optional<bool>{*b};
  return field_error(path, key, "must be true or false, got " + describe_json(*v));
}

core::Result<std::optional<Priority>> read_priority(const json::value* v, std::string_view path) {
  if (!v) return std::optional<Priority>{};
  std::optional<Priority> p;
  if (const json::string* s = v->if_string()) p = priority_from_text(as_view(*s));
  if (v->is_int64()) p = priority_from_level(v->get_int64());
  if (p) return std::optional<Priority>{p};
  return field_error(
      path, "priority",
      "must be critical, standard, batch, sheddable or an integer 0-9, got " + describe_json(*v));
}

core::Result<std::optional<core::LatencyClass>> read_latency(const json::value* v,
                                                             std::string_view path) {
  if (!v) return std::optional<core::LatencyClass>{};
  if (const json::string* s = v->if_string()) {
    if (as_view(*s) == "interactive") return std::optional{core::LatencyClass::kInteractive};
    if (as_view(*s) == "batch") return std::optional{core::LatencyClass::kBatch};
  }
  return field_error(path, "latency", "must be interactive or batch, got " + describe_json(*v));
}

// The input and output side of an OpenAI body (not its model or scheduling fields).
core::Status read_body(core::TaskKind kind, const json::object& body, const Fields& fields,
                       std::string_view path, const ParseOptions& options, core::TaskSpec& out) {
  if (auto s = read_inputs(kind, body, path, options, out); !s) return s;
  auto stream = read_bool(fields.stream, path, "stream");
  if (!stream) return stream.status();
  out.stream = stream->value_or(false);
  auto max_completion =
      read_token_count(fields.max_completion_tokens, path, "max_completion_tokens");
  if (!max_completion) return max_completion.status();
  auto max_tokens = read_token_count(fields.max_tokens, path, "max_tokens");
  if (!max_tokens) return max_tokens.status();
  if (kind == core::TaskKind::kEmbedding) {
    out.max_output_tokens = 0;
  } else if (*max_completion) {
    out.max_output_tokens = **max_completion;
  } else if (*max_tokens) {
    out.max_output_tokens = **max_tokens;
  } else if (auto it = options.model_max_output_tokens.find(out.model);
             it != options.model_max_output_tokens.end()) {
    out.max_output_tokens = it->second;
  } else {
    out.max_output_tokens = options.default_max_output_tokens;
  }
  return core::Status::ok();
}

// Tenant, priority, latency and deadline: headers first, then the body, then defaults.
core::Status resolve_scheduling(const RequestMeta& meta, const ParseOptions& options,
                                std::optional<Priority> body_priority,
                                std::optional<core::LatencyClass> body_latency,
                                std::optional<core::LatencyClass> default_latency,
                                core::TaskSpec& out) {
  auto header_priority = priority_from_header(meta.priority_header);
  if (!header_priority) return header_priority.status();
  auto deadline = deadline_from_header(meta.deadline_header);
  if (!deadline) return deadline.status();

  out.tenant = meta.tenant.empty() ? options.default_tenant : std::string(meta.tenant);
  std::optional<Priority> priority = *header_priority ? *header_priority : body_priority;
  if (!priority) {
    core::PriorityClass c = options.default_class;
    if (meta.default_class) {
      c = *meta.default_class;
    } else if (auto it = options.tenant_default_class.find(out.tenant);
               it != options.tenant_default_class.end()) {
      c = it->second;
    }
    priority = Priority{c, core::default_level(c)};
  }
  out.priority_class = priority->cls;
  out.priority_level = priority->level;
  if (body_latency) {
    out.latency = *body_latency;
  } else if (default_latency) {
    out.latency = *default_latency;
  } else {
    out.latency = out.priority_class == core::PriorityClass::kBatch
                      ? core::LatencyClass::kBatch
                      : core::LatencyClass::kInteractive;
  }
  out.deadline = *deadline;
  return core::Status::ok();
}

std::optional<core::TaskKind> body_kind(std::string_view name) {
  if (name == "chat") return core::TaskKind::kChat;
  if (name == "completion") return core::TaskKind::kCompletion;
  if (name == "embedding") return core::TaskKind::kEmbedding;
  return std::nullopt;
}

}  // namespace

core::Result<core::TaskSpec> parse_openai(core::TaskKind kind, std::string_view body,
                                          const RequestMeta& meta, const ParseOptions& options) {
  if (kind == core::TaskKind::kAsync) {
    return core::Status(core::ErrorCode::kInternal,
                        "parse_openai: an async task is parsed with parse_task_payload");
  }
  alignas(std::max_align_t) unsigned char buffer[kArenaBytes];
  json::monotonic_resource arena(buffer, sizeof buffer);
  auto doc = parse_json(body, arena);
  if (!doc) return doc.status();
  auto obj = top_object(*doc);
  if (!obj) return obj.status();
  const json::object& top = **obj;
  const Fields fields = fields_of(top);

  core::TaskSpec spec;
  spec.kind = kind;
  auto model = read_model(fields.model, "");
  if (!model) return model.status();
  if (!*model)
    return invalid_argument("'model' is required: the name of the model to run", "model");
  spec.model = std::string(**model);
  if (auto s = read_body(kind, top, fields, "", options, spec); !s) return s;
  auto priority = read_priority(fields.priority, "");
  if (!priority) return priority.status();
  auto latency = read_latency(fields.latency, "");
  if (!latency) return latency.status();
  if (auto s = resolve_scheduling(meta, options, *priority, *latency, std::nullopt, spec); !s) {
    return s;
  }
  return spec;
}

core::Result<core::TaskSpec> parse_task_payload(std::string_view body, const RequestMeta& meta,
                                                const ParseOptions& options) {
  alignas(std::max_align_t) unsigned char buffer[kArenaBytes];
  json::monotonic_resource arena(buffer, sizeof buffer);
  auto doc = parse_json(body, arena);
  if (!doc) return doc.status();
  auto obj = top_object(*doc);
  if (!obj) return obj.status();
  const json::object& top = **obj;
  const Fields fields = fields_of(top);

  const json::value* kind_value = fields.kind;
  if (!kind_value)
    return invalid_argument("'kind' is required: chat, completion or embedding", "kind");
  const json::string* kind_name = kind_value->if_string();
  const auto kind = kind_name ? body_kind(as_view(*kind_name)) : std::nullopt;
  if (!kind) {
    return field_error("", "kind",
                       "must be chat, completion or embedding, got " + describe_json(*kind_value));
  }
  const json::value* payload_value = fields.payload;
  if (!payload_value) {
    return invalid_argument("'payload' is required: the OpenAI request body of the task",
                            "payload");
  }
  const json::object* payload = payload_value->if_object();
  if (!payload) {
    return field_error(
        "", "payload",
        "must be an object (an OpenAI request body), got " + describe_json(*payload_value));
  }

  const Fields payload_fields = fields_of(*payload);

  core::TaskSpec spec;
  spec.kind = core::TaskKind::kAsync;
  auto top_model = read_model(fields.model, "");
  if (!top_model) return top_model.status();
  auto payload_model = read_model(payload_fields.model, "payload.");
  if (!payload_model) return payload_model.status();
  if (*top_model && *payload_model && **top_model != **payload_model) {
    return invalid_argument("'model' is '" + quote_for_error(**top_model) +
                                "' but 'payload.model' is '" + quote_for_error(**payload_model) +
                                "'; give one model",
                            "model");
  }
  if (!*top_model && !*payload_model) {
    return invalid_argument("'model' is required, at the top or in 'payload'", "model");
  }
  spec.model = std::string(*top_model ? **top_model : **payload_model);
  if (auto s = read_body(*kind, *payload, payload_fields, "payload.", options, spec); !s) return s;
  spec.stream = false;  // an async task's result is stored, not streamed

  // Scheduling fields may sit at the top or in the payload; the top wins.
  auto priority = read_priority(fields.priority, "");
  if (!priority) return priority.status();
  if (!*priority) priority = read_priority(payload_fields.priority, "payload.");
  if (!priority) return priority.status();
  auto latency = read_latency(fields.latency, "");
  if (!latency) return latency.status();
  if (!*latency) latency = read_latency(payload_fields.latency, "payload.");
  if (!latency) return latency.status();
  auto preemptible = read_bool(fields.preemptible, "", "preemptible");
  if (!preemptible) return preemptible.status();
  spec.preemptible = preemptible->value_or(false);
  if (auto s =
          resolve_scheduling(meta, options, *priority, *latency, core::LatencyClass::kBatch, spec);
      !s) {
    return s;
  }
  return spec;
}

}  // namespace autoglm::parse
