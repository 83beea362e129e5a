#include "simnode/openai_format.hpp"

#include <boost/json.hpp>

#include "parse/prefix_hash.hpp"
#include "parse/task_parser.hpp"
#include "parse/token_estimator.hpp"
#include "simnode/text_gen.hpp"

namespace autoglm::simnode {

namespace json = boost::json;
using core::invalid_argument;

namespace {

// OpenAI's chat format adds a few tokens per message (role markers) and per reply.
constexpr std::int64_t kTokensPerMessage = 3;
constexpr std::int64_t kTokensPerReply = 3;

// An image or audio part costs what the gateway's parser charges for it (its default
// options): the vision or audio encoder's tokens join the prefill like text.
std::int64_t media_tokens(const json::object& part) {
  static const parse::ParseOptions kDefaults;
  if (const auto* image = part.if_contains("image_url")) {
    const auto* obj = image->if_object();
    const auto* detail = obj ? obj->if_contains("detail") : nullptr;
    const bool low = detail && detail->is_string() && detail->get_string() == "low";
    return parse::image_part_tokens(low, kDefaults);
  }
  if (const auto* audio = part.if_contains("input_audio"); audio && audio->is_object()) {
    const auto* data = audio->get_object().if_contains("data");
    const std::size_t chars = data && data->is_string() ? data->get_string().size() : 0;
    return parse::audio_part_tokens(chars, kDefaults);
  }
  return 0;
}

std::int64_t content_tokens(const json::value& content) {
  if (const auto* s = content.if_string()) return parse::estimate_tokens(*s);
  std::int64_t tokens = 0;
  if (const auto* parts = content.if_array()) {
    for (const auto& part : *parts) {
      const auto* obj = part.if_object();
      if (!obj) continue;
      if (const auto* text = obj->if_contains("text"); text && text->is_string()) {
        tokens += parse::estimate_tokens(text->get_string());
      } else {
        tokens += media_tokens(*obj);
      }
    }
  }
  return tokens;
}

core::Result<std::int64_t> prompt_tokens(const json::object& obj, bool chat) {
  if (chat) {
    const auto* messages = obj.if_contains("messages");
    if (!messages || !messages->is_array() || messages->get_array().empty()) {
      return invalid_argument("'messages' must be a non-empty array", "messages");
    }
    std::int64_t tokens = kTokensPerReply;
    for (const auto& m : messages->get_array()) {
      const auto* msg = m.if_object();
      if (!msg) return invalid_argument("each message must be an object", "messages");
      tokens += kTokensPerMessage;
      if (const auto* content = msg->if_contains("content")) tokens += content_tokens(*content);
    }
    return tokens;
  }
  const auto* prompt = obj.if_contains("prompt");
  if (!prompt) return invalid_argument("'prompt' is required", "prompt");
  if (const auto* s = prompt->if_string()) return parse::estimate_tokens(*s);
  if (const auto* arr = prompt->if_array()) {
    std::int64_t tokens = 0;
    for (const auto& p : *arr) {
      if (const auto* s = p.if_string())
        tokens += parse::estimate_tokens(*s);
      else if (p.is_number())
        tokens += 1;  // a pre-tokenised prompt: one id, one token
    }
    return tokens;
  }
  return invalid_argument("'prompt' must be a string or an array", "prompt");
}

// The prompt's text in order (message contents, text parts, or the prompt strings).
void hash_prompt(const json::object& obj, bool chat, parse::PrefixHasher& hasher,
                 std::int64_t& bytes) {
  auto add = [&](const json::value& v) {
    if (const auto* s = v.if_string()) {
      hasher.add(*s);
      bytes += static_cast<std::int64_t>(s->size());
    }
  };
  const auto* source = obj.if_contains(chat ? "messages" : "prompt");
  if (!source) return;
  if (!source->is_array()) {
    add(*source);
    return;
  }
  for (const auto& item : source->get_array()) {
    const auto* msg = chat ? item.if_object() : nullptr;
    const auto* content = msg ? msg->if_contains("content") : (chat ? nullptr : &item);
    if (!content) continue;
    if (const auto* parts = content->if_array()) {
      for (const auto& part : *parts) {
        if (const auto* p = part.if_object(); p && p->contains("text")) add(p->at("text"));
      }
    } else {
      add(*content);
    }
  }
}

json::object envelope(const SimRequest& request, std::string_view id, std::int64_t created,
                      bool chunk) {
  json::object out;
  out["id"] = id;
  out["object"] =
      request.chat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion";
  out["created"] = created;
  out["model"] = request.model;
  return out;
}

json::object usage_json(const Usage& usage) {
  json::object u;
  u["prompt_tokens"] = usage.prompt_tokens;
  u["completion_tokens"] = usage.completion_tokens;
  u["total_tokens"] = usage.prompt_tokens + usage.completion_tokens;
  return u;
}

std::string sse(const json::object& obj) { return "data: " + json::serialize(obj) + "\n\n"; }

}  // namespace

core::Result<SimRequest> parse_sim_request(std::string_view body, bool chat,
                                           const SimLimits& limits) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) return invalid_argument("the request body is not valid JSON: " + ec.message());
  const auto* obj = doc.if_object();
  if (!obj) return invalid_argument("the request body must be a JSON object");

  SimRequest out;
  out.chat = chat;
  const auto* model = obj->if_contains("model");
  if (!model || !model->is_string()) return invalid_argument("'model' must be a string", "model");
  out.model = json::value_to<std::string>(*model);

  auto tokens = prompt_tokens(*obj, chat);
  if (!tokens) return tokens.status();
  out.prompt_tokens = std::max<std::int64_t>(1, *tokens);

  out.max_tokens = limits.default_max_tokens;
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    const auto* v = obj->if_contains(key);
    if (!v || v->is_null()) continue;
    if (!v->is_int64() || v->get_int64() < 1) {
      return invalid_argument(std::string("'") + key + "' must be a positive integer", key);
    }
    out.max_tokens = v->get_int64();
    break;
  }
  if (out.prompt_tokens + out.max_tokens > limits.max_model_len) {
    return invalid_argument("this model's maximum context length is " +
                                std::to_string(limits.max_model_len) + " tokens; the request has " +
                                std::to_string(out.prompt_tokens) + " prompt tokens and asks for " +
                                std::to_string(out.max_tokens) + " more",
                            "max_tokens");
  }
  if (const auto* s = obj->if_contains("stream"); s && s->is_bool()) out.stream = s->get_bool();
  if (const auto* so = obj->if_contains("stream_options"); so && so->is_object()) {
    if (const auto* iu = so->get_object().if_contains("include_usage"); iu && iu->is_bool()) {
      out.include_usage = iu->get_bool();
    }
  }
  out.content_hash = stable_hash(body);
  parse::PrefixHasher hasher(parse::PrefixHashOptions{256, 4096});
  hash_prompt(*obj, chat, hasher, out.prompt_bytes);
  out.prefix_hashes = std::move(hasher).take();
  return out;
}

std::string completion_body(const SimRequest& request, std::string_view id, std::int64_t created,
                            std::string_view text, const Usage& usage) {
  json::object out = envelope(request, id, created, false);
  json::object choice;
  choice["index"] = 0;
  if (request.chat) {
    json::object message;
    message["role"] = "assistant";
    message["content"] = text;
    choice["message"] = std::move(message);
  } else {
    choice["text"] = text;
    choice["logprobs"] = nullptr;
  }
  choice["finish_reason"] = "length";
  out["choices"] = json::array{std::move(choice)};
  out["usage"] = usage_json(usage);
  return json::serialize(out);
}

std::string stream_event(const SimRequest& request, std::string_view id, std::int64_t created,
                         std::string_view delta, bool first, bool finish) {
  json::object out = envelope(request, id, created, true);
  json::object choice;
  choice["index"] = 0;
  if (request.chat) {
    json::object d;
    if (first) d["role"] = "assistant";
    if (!delta.empty() || first) d["content"] = delta;
    choice["delta"] = std::move(d);
  } else {
    choice["text"] = delta;
    choice["logprobs"] = nullptr;
  }
  if (finish) {
    choice["finish_reason"] = "length";
  } else {
    choice["finish_reason"] = nullptr;
  }
  out["choices"] = json::array{std::move(choice)};
  return sse(out);
}

std::string usage_event(const SimRequest& request, std::string_view id, std::int64_t created,
                        const Usage& usage) {
  json::object out = envelope(request, id, created, true);
  out["choices"] = json::array{};
  out["usage"] = usage_json(usage);
  return sse(out);
}

}  // namespace autoglm::simnode
