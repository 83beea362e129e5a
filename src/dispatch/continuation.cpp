#include "dispatch/continuation.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace autoglm::dispatch {

namespace json = boost::json;

namespace {

core::Status refuse(std::string why) { return core::invalid_argument(std::move(why)); }

bool above_one(const json::object& request, std::string_view key) {
  const auto* v = request.if_contains(key);
  return v && v->is_int64() && v->get_int64() > 1;
}

bool non_empty_array(const json::object& request, std::string_view key) {
  const auto* v = request.if_contains(key);
  return v && v->is_array() && !v->get_array().empty();
}

// The completion prompt as one string: a string, or an array holding exactly one string.
const json::string* single_prompt(const json::object& request) {
  const auto* prompt = request.if_contains("prompt");
  if (!prompt) return nullptr;
  if (prompt->is_string()) return &prompt->get_string();
  const auto* items = prompt->if_array();
  if (items && items->size() == 1 && (*items)[0].is_string()) return &(*items)[0].get_string();
  return nullptr;
}

core::Status check(bool chat, const json::object& request) {
  if (above_one(request, "n") || above_one(request, "best_of")) {
    return refuse("more than one choice is streamed");
  }
  // vLLM's echo repeats the prompt, or a chat's final message: after a resume, the text
  // the client already has.
  if (const auto* echo = request.if_contains("echo"); echo && echo->is_bool() && echo->get_bool()) {
    return refuse("the answer echoes the prompt");
  }
  if (chat) {
    if (non_empty_array(request, "tools") || non_empty_array(request, "functions")) {
      return refuse("the answer may stream tool calls");
    }
    const auto* messages = request.if_contains("messages");
    if (!messages || !messages->is_array()) return refuse("the request has no messages");
    return core::Status::ok();
  }
  if (!single_prompt(request)) return refuse("the prompt is not one string");
  return core::Status::ok();
}

core::Result<json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return refuse("the request is not a JSON object");
  return std::move(doc.get_object());
}

// The assistant message the next node extends: the client's own prefill (a final
// assistant message it asked to continue) grows by `text`; otherwise a new one is added.
void add_assistant_text(json::object& request, std::string_view text) {
  auto& messages = request["messages"].get_array();
  const auto* cont = request.if_contains("continue_final_message");
  const bool prefilled = cont && cont->is_bool() && cont->get_bool() && !messages.empty() &&
                         messages.back().is_object();
  if (prefilled) {
    auto& last = messages.back().get_object();
    const auto* role = last.if_contains("role");
    auto* content = last.if_contains("content");
    if (role && role->is_string() && role->get_string() == "assistant" && content &&
        content->is_string()) {
      content->get_string().append(text);
      return;
    }
  }
  messages.push_back(json::object{{"role", "assistant"}, {"content", text}});
}

}  // namespace

core::Status check_resumable(bool chat, std::string_view body) {
  auto request = parse_object(body);
  if (!request) return request.status();
  return check(chat, *request);
}

core::Result<Continuation> continuation_request(bool chat, std::string_view body,
                                                std::string_view text, std::int64_t tokens_sent) {
  auto parsed = parse_object(body);
  if (!parsed) return parsed.status();
  json::object& request = *parsed;
  if (auto s = check(chat, request); !s) return s;
  Continuation out;
  for (const char* key : {"max_tokens", "max_completion_tokens"}) {
    auto* limit = request.if_contains(key);
    if (!limit || !limit->is_int64()) continue;
    const std::int64_t left = limit->get_int64() - tokens_sent;
    if (left < 1) return refuse("the answer already has its " + std::string(key));
    *limit = left;
    out.max_output_tokens = left;
  }
  if (chat) {
    add_assistant_text(request, text);
    request["continue_final_message"] = true;
    request["add_generation_prompt"] = false;
  } else {
    json::string prompt = *single_prompt(request);
    prompt.append(text);
    request["prompt"] = std::move(prompt);
  }
  out.body = json::serialize(request);
  return out;
}

}  // namespace autoglm::dispatch
