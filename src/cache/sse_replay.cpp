#include "cache/sse_replay.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace autoglm::cache {

namespace json = boost::json;

namespace {

void emit(std::string& out, const json::object& chunk) {
  out += "data: ";
  out += json::serialize(chunk);
  out += "\n\n";
}

// The fields every chunk repeats from the answer.
json::object chunk_base(const json::object& answer, std::string_view object) {
  json::object c;
  for (const char* field : {"id", "created", "model", "system_fingerprint", "service_tier"}) {
    if (const auto* v = answer.if_contains(field)) c[field] = *v;
  }
  c["object"] = object;
  return c;
}

json::value field_or_null(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? *v : json::value(nullptr);
}

json::object chat_choice(const json::value& index, json::object delta, json::value finish) {
  return json::object{{"index", index},
                      {"delta", std::move(delta)},
                      {"logprobs", nullptr},
                      {"finish_reason", std::move(finish)}};
}

// Tool calls in a delta carry their position as "index".
json::array indexed_tool_calls(const json::array& calls) {
  json::array out;
  std::int64_t i = 0;
  for (const auto& call : calls) {
    json::object c = call.is_object() ? call.get_object() : json::object{};
    c["index"] = i++;
    out.push_back(std::move(c));
  }
  return out;
}

core::Status render_chat(const json::object& answer, std::string& out) {
  const auto* choices = answer.if_contains("choices");
  if (!choices || !choices->is_array()) {
    return core::invalid_argument("a cached chat.completion has no choices array", "choices");
  }
  for (const auto& choice_value : choices->get_array()) {
    if (!choice_value.is_object()) {
      return core::invalid_argument("a cached choice is not an object", "choices");
    }
    const json::object& choice = choice_value.get_object();
    const json::value index = field_or_null(choice, "index");
    const auto* msg_value = choice.if_contains("message");
    const json::object message =
        msg_value && msg_value->is_object() ? msg_value->get_object() : json::object{};

    json::object first = chunk_base(answer, "chat.completion.chunk");
    json::object role_delta{{"role", field_or_null(message, "role")}, {"content", ""}};
    if (role_delta["role"].is_null()) role_delta["role"] = "assistant";
    first["choices"] = json::array{chat_choice(index, std::move(role_delta), nullptr)};
    emit(out, first);

    json::object delta;
    if (const auto* c = message.if_contains("content"); c && c->is_string()) delta["content"] = *c;
    if (const auto* r = message.if_contains("refusal"); r && r->is_string()) delta["refusal"] = *r;
    if (const auto* t = message.if_contains("tool_calls"); t && t->is_array()) {
      delta["tool_calls"] = indexed_tool_calls(t->get_array());
    }
    if (!delta.empty()) {
      json::object body = chunk_base(answer, "chat.completion.chunk");
      body["choices"] = json::array{chat_choice(index, std::move(delta), nullptr)};
      emit(out, body);
    }
    json::object last = chunk_base(answer, "chat.completion.chunk");
    last["choices"] =
        json::array{chat_choice(index, json::object{}, field_or_null(choice, "finish_reason"))};
    emit(out, last);
  }
  return core::Status::ok();
}

core::Status render_text(const json::object& answer, std::string& out) {
  const auto* choices = answer.if_contains("choices");
  if (!choices || !choices->is_array()) {
    return core::invalid_argument("a cached text_completion has no choices array", "choices");
  }
  for (const auto& choice_value : choices->get_array()) {
    if (!choice_value.is_object()) {
      return core::invalid_argument("a cached choice is not an object", "choices");
    }
    const json::object& choice = choice_value.get_object();
    json::object body = chunk_base(answer, "text_completion");
    body["choices"] = json::array{json::object{{"text", field_or_null(choice, "text")},
                                               {"index", field_or_null(choice, "index")},
                                               {"logprobs", nullptr},
                                               {"finish_reason", nullptr}}};
    emit(out, body);
    json::object last = chunk_base(answer, "text_completion");
    last["choices"] = json::array{json::object{{"text", ""},
                                               {"index", field_or_null(choice, "index")},
                                               {"logprobs", nullptr},
                                               {"finish_reason", field_or_null(choice, "finish_reason")}}};
    emit(out, last);
  }
  return core::Status::ok();
}

}  // namespace

core::Result<std::string> render_sse(std::string_view completion_json, const SseOptions& options) {
  boost::system::error_code ec;
  json::value parsed = json::parse(completion_json, ec);
  if (ec || !parsed.is_object()) {
    return core::invalid_argument("the cached answer is not a JSON object");
  }
  const json::object& answer = parsed.get_object();
  const auto* object = answer.if_contains("object");
  const std::string_view kind = object && object->is_string() ? std::string_view(object->get_string())
                                                              : std::string_view();
  std::string out;
  core::Status s;
  std::string_view chunk_object;
  if (kind == "chat.completion") {
    s = render_chat(answer, out);
    chunk_object = "chat.completion.chunk";
  } else if (kind == "text_completion") {
    s = render_text(answer, out);
    chunk_object = "text_completion";
  } else {
    return core::invalid_argument("only chat.completion and text_completion answers can be "
                                  "replayed as a stream, not '" + std::string(kind) + "'",
                                  "object");
  }
  if (!s) return s;
  if (options.include_usage) {
    if (const auto* usage = answer.if_contains("usage")) {
      json::object last = chunk_base(answer, chunk_object);
      last["choices"] = json::array{};
      last["usage"] = *usage;
      emit(out, last);
    }
  }
  out += "data: [DONE]\n\n";
  return out;
}

}  // namespace autoglm::cache
