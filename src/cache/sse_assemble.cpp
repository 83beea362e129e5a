#include "cache/sse_assemble.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <map>

namespace autoglm::cache {

namespace json = boost::json;

namespace {

struct Choice {
  std::string role = "assistant";
  std::string content;
  std::string refusal;
  bool has_content = false;
  bool has_refusal = false;
  json::value finish_reason;  // null until the last chunk of the choice
};

struct Assembly {
  std::string object;  // "chat.completion.chunk" or "text_completion"
  json::object head;   // id, created, model, system_fingerprint, service_tier
  std::map<std::int64_t, Choice> choices;
  json::value usage;
  bool done = false;
};

core::Status refuse(std::string why) { return core::invalid_argument(std::move(why)); }

void append(const json::object& from, std::string_view key, std::string& to, bool& seen) {
  if (const auto* v = from.if_contains(key); v && v->is_string()) {
    to += v->get_string();
    seen = true;
  }
}

core::Status take_event(std::string_view data, Assembly& a) {
  if (data == "[DONE]") {
    a.done = true;
    return core::Status::ok();
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(data, ec);
  if (ec || !parsed.is_object()) return refuse("an event is not a JSON object");
  const json::object& chunk = parsed.get_object();
  if (chunk.contains("error")) return refuse("the stream carried an error event");
  const auto* object = chunk.if_contains("object");
  if (!object || !object->is_string()) return refuse("an event has no object type");
  if (a.object.empty()) {
    a.object = object->get_string();
    if (a.object != "chat.completion.chunk" && a.object != "text_completion") {
      return refuse("events of type '" + a.object + "' are not assembled");
    }
    for (const char* field : {"id", "created", "model", "system_fingerprint", "service_tier"}) {
      if (const auto* v = chunk.if_contains(field)) a.head[field] = *v;
    }
  } else if (a.object != object->get_string()) {
    return refuse("the stream mixes event types");
  }
  if (const auto* usage = chunk.if_contains("usage"); usage && usage->is_object()) {
    a.usage = *usage;
  }
  const auto* choices = chunk.if_contains("choices");
  if (!choices) return core::Status::ok();
  if (!choices->is_array()) return refuse("an event's choices is not an array");
  for (const auto& value : choices->get_array()) {
    if (!value.is_object()) return refuse("a choice is not an object");
    const json::object& c = value.get_object();
    const auto* index = c.if_contains("index");
    if (!index || !index->is_int64()) return refuse("a choice has no integer index");
    Choice& choice = a.choices[index->get_int64()];
    if (a.object == "chat.completion.chunk") {
      const auto* delta = c.if_contains("delta");
      if (delta && delta->is_object()) {
        const json::object& d = delta->get_object();
        if (d.contains("tool_calls") || d.contains("function_call")) {
          return refuse("tool-call deltas are not assembled");
        }
        if (const auto* role = d.if_contains("role"); role && role->is_string()) {
          choice.role = role->get_string();
        }
        append(d, "content", choice.content, choice.has_content);
        append(d, "refusal", choice.refusal, choice.has_refusal);
      }
    } else {
      append(c, "text", choice.content, choice.has_content);
    }
    if (const auto* finish = c.if_contains("finish_reason"); finish && !finish->is_null()) {
      choice.finish_reason = *finish;
    }
  }
  return core::Status::ok();
}

std::string render(const Assembly& a) {
  json::object out = a.head;
  const bool chat = a.object == "chat.completion.chunk";
  out["object"] = chat ? "chat.completion" : "text_completion";
  json::array choices;
  for (const auto& [index, c] : a.choices) {
    json::object choice{{"index", index}};
    if (chat) {
      json::object message{{"role", c.role}};
      message["content"] = c.has_content ? json::value(c.content) : json::value(nullptr);
      if (c.has_refusal) message["refusal"] = c.refusal;
      choice["message"] = std::move(message);
    } else {
      choice["text"] = c.content;
    }
    choice["logprobs"] = nullptr;
    choice["finish_reason"] = c.finish_reason;
    choices.push_back(std::move(choice));
  }
  out["choices"] = std::move(choices);
  if (!a.usage.is_null()) out["usage"] = a.usage;
  return json::serialize(out);
}

}  // namespace

core::Result<std::string> assemble_sse(std::string_view sse) {
  Assembly a;
  // Events end with a blank line; each "data:" line of an event is one payload here
  // (OpenAI-style servers send one JSON document per event).
  std::size_t pos = 0;
  while (pos < sse.size()) {
    std::size_t end = sse.find('\n', pos);
    if (end == std::string_view::npos) end = sse.size();
    std::string_view line = sse.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with("data:")) continue;  // blank lines, comments, other fields
    line.remove_prefix(5);
    if (line.starts_with(' ')) line.remove_prefix(1);
    if (a.done) return refuse("events after [DONE]");
    if (auto s = take_event(line, a); !s) return s;
  }
  if (!a.done) return refuse("the stream did not end with [DONE]");
  if (a.choices.empty()) return refuse("the stream had no choices");
  for (const auto& [index, c] : a.choices) {
    if (c.finish_reason.is_null()) return refuse("a choice never finished");
  }
  return render(a);
}

}  // namespace autoglm::cache
