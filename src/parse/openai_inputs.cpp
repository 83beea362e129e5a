#include "parse/openai_inputs.hpp"

#include <array>
#include <boost/json.hpp>
#include <string>

#include "parse/json_errors.hpp"
#include "parse/json_pick.hpp"
#include "parse/prefix_hash.hpp"
#include "parse/token_estimator.hpp"

namespace autoglm::parse {
namespace json = boost::json;

namespace {

// OpenAI's accounting for the chat format: each message is wrapped in 3 tokens
// (<|start|>, role/name separator, <|end|>), a name costs 1 more, and the reply is primed
// with 3 (<|start|>assistant<|message|>).
constexpr std::int64_t kTokensPerMessage = 3;
constexpr std::int64_t kTokensPerName = 1;
constexpr std::int64_t kReplyPriming = 3;
constexpr std::int64_t kLowDetailImageTokens = 85;

// Separators in the prefix-hash stream, so that field boundaries are part of the prefix.
constexpr std::string_view kFieldSeparator = "\x1f";
constexpr std::string_view kMessageSeparator = "\x1e";

constexpr std::array<std::string_view, 6> kRoles = {"system",    "developer", "user",
                                                    "assistant", "tool",      "function"};

std::string index_path(std::string_view field, std::size_t i) {
  std::string s(field);
  s += '[';
  s += std::to_string(i);
  s += ']';
  return s;
}

std::string_view as_view(const json::string& s) { return {s.data(), s.size()}; }

// Walks the input of one request, accumulating its size, modality and prefix stream.
class InputReader {
 public:
  InputReader(std::string_view path, const ParseOptions& options, bool hash_prefix)
      : path_(path),
        options_(options),
        hasher_(PrefixHashOptions{hash_prefix ? options.prefix_chunk_bytes : 0,
                                  options.max_prefix_blocks}) {}

  core::Status chat(const json::object& body);
  core::Status prompt(const json::object& body, std::string_view field);

  void finish(core::TaskSpec& out) && {
    out.input_tokens = tokens_;
    out.modality = has_audio_   ? core::Modality::kSpeech
                   : has_image_ ? core::Modality::kVision
                                : core::Modality::kText;
    out.prefix_hashes = std::move(hasher_).take();
  }

 private:
  core::Status message(const json::value& v, std::size_t i);
  core::Status content_parts(const json::array& parts, const std::string& where);
  core::Status content_part(const json::value& v, const std::string& where);
  core::Status prompt_item(const json::value& v, const std::string& where);
  void tool_calls(const json::array& calls);

  void text(std::string_view s) {
    tokens_ += estimate_tokens(s);
    hash(s);
  }
  void hash(std::string_view s) {
    if (!hasher_.full()) hasher_.add(s);
  }
  void hash_token_id(std::uint64_t id) {
    unsigned char bytes[4];
    for (int b = 0; b < 4; ++b) bytes[b] = static_cast<unsigned char>(id >> (8 * b));
    hash(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  }
  core::Status error(std::string_view field, std::string_view what) const {
    return field_error(path_, field, what);
  }

  std::string_view path_;
  const ParseOptions& options_;
  PrefixHasher hasher_;
  std::int64_t tokens_ = 0;
  bool has_image_ = false;
  bool has_audio_ = false;
};

// Tokens of JSON the model sees as text (tool schemas, response formats): every key and
// string, one token per other scalar and per nesting.
std::int64_t json_tokens(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return estimate_tokens(as_view(v.get_string()));
    case json::kind::array: {
      std::int64_t n = 1;
      for (const auto& e : v.get_array()) n += json_tokens(e);
      return n;
    }
    case json::kind::object: {
      std::int64_t n = 1;
      for (const auto& kv : v.get_object()) {
        n += estimate_tokens(std::string_view(kv.key().data(), kv.key().size()));
        n += json_tokens(kv.value());
      }
      return n;
    }
    default:
      return 1;
  }
}

bool is_known_role(std::string_view role) {
  for (const auto r : kRoles) {
    if (r == role) return true;
  }
  return false;
}

core::Status InputReader::chat(const json::object& body) {
  static constexpr std::array<std::string_view, 4> kKeys = {"messages", "tools", "functions",
                                                            "response_format"};
  const auto fields = pick(body, kKeys);
  const json::value* messages = fields[0];
  if (!messages) {
    return error("messages", "is required: an array of {\"role\", \"content\"} objects");
  }
  const json::array* list = messages->if_array();
  if (!list) {
    return error("messages",
                 "must be an array of messages, got " + std::string(json_type_name(*messages)));
  }
  if (list->empty()) return error("messages", "must not be empty");
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (auto s = message((*list)[i], i); !s) return s;
  }
  tokens_ += kReplyPriming;
  // Tool and response-format schemas are part of the prompt the model reads.
  for (std::size_t i = 1; i < kKeys.size(); ++i) {
    if (const json::value* v = fields[i]; v && !v->is_null()) tokens_ += json_tokens(*v);
  }
  return core::Status::ok();
}

core::Status InputReader::message(const json::value& v, std::size_t i) {
  const std::string where = index_path("messages", i);
  const json::object* m = v.if_object();
  if (!m) {
    return error(where, "must be an object with 'role' and 'content', got " +
                            std::string(json_type_name(v)));
  }
  static constexpr std::array<std::string_view, 4> kKeys = {"role", "name", "content",
                                                            "tool_calls"};
  const auto [role, name, content, calls] = pick(*m, kKeys);
  if (!role) return error(where + ".role", "is required");
  const json::string* role_text = role->if_string();
  if (!role_text || !is_known_role(as_view(*role_text))) {
    return error(where + ".role",
                 "must be system, developer, user, assistant, tool or function, got " +
                     describe_json(*role));
  }
  tokens_ += kTokensPerMessage + 1;  // the role is one token
  hash(as_view(*role_text));
  if (name && !name->is_null()) {
    const json::string* s = name->if_string();
    if (!s)
      return error(where + ".name", "must be a string, got " + std::string(json_type_name(*name)));
    tokens_ += kTokensPerName;
    hash(kFieldSeparator);
    text(as_view(*s));
  }
  hash(kFieldSeparator);

  const bool is_assistant = as_view(*role_text) == "assistant";
  if (!content || content->is_null()) {
    // An assistant turn may be only tool calls; every other turn says something.
    if (!is_assistant)
      return error(where + ".content",
                   "is required for a " + std::string(as_view(*role_text)) + " message");
  } else if (const json::string* s = content->if_string()) {
    text(as_view(*s));
  } else if (const json::array* parts = content->if_array()) {
    if (auto st = content_parts(*parts, where + ".content"); !st) return st;
  } else {
    return error(where + ".content", "must be a string or an array of content parts, got " +
                                         std::string(json_type_name(*content)));
  }
  if (calls && !calls->is_null()) {
    const json::array* list = calls->if_array();
    if (!list) {
      return error(where + ".tool_calls",
                   "must be an array of tool calls, got " + std::string(json_type_name(*calls)));
    }
    tool_calls(*list);
  }
  hash(kMessageSeparator);
  return core::Status::ok();
}

core::Status InputReader::content_parts(const json::array& parts, const std::string& where) {
  for (std::size_t j = 0; j < parts.size(); ++j) {
    if (auto s = content_part(parts[j], index_path(where, j)); !s) return s;
  }
  return core::Status::ok();
}

core::Status InputReader::content_part(const json::value& v, const std::string& where) {
  const json::object* part = v.if_object();
  if (!part) {
    return error(where, "must be an object with a 'type', got " + std::string(json_type_name(v)));
  }
  const json::value* type = part->if_contains("type");
  const json::string* type_text = type ? type->if_string() : nullptr;
  const std::string_view kind = type_text ? as_view(*type_text) : std::string_view();
  // The field named by the type holds the data: {"type": "text", "text": "..."}.
  const auto field = [&](std::string_view name) -> const json::value* {
    return part->if_contains(name);
  };
  if (kind == "text" || kind == "refusal") {
    const json::value* t = field(kind);
    const json::string* s = t ? t->if_string() : nullptr;
    if (!s) return error(where + "." + std::string(kind), "must be a string");
    text(as_view(*s));
    return core::Status::ok();
  }
  if (kind == "image_url") {
    const json::value* image = field("image_url");
    const json::value* url =
        image && image->is_object() ? image->get_object().if_contains("url") : image;
    const json::string* s = url ? url->if_string() : nullptr;
    if (!s) return error(where + ".image_url", "must be an object with a string 'url'");
    const json::value* detail =
        image->is_object() ? image->get_object().if_contains("detail") : nullptr;
    const bool low = detail && detail->is_string() && as_view(detail->get_string()) == "low";
    tokens_ += image_part_tokens(low, options_);
    has_image_ = true;
    hash("\x1bimage:");
    hash(as_view(*s));
    return core::Status::ok();
  }
  if (kind == "input_audio") {
    const json::value* audio = field("input_audio");
    const json::value* data =
        audio && audio->is_object() ? audio->get_object().if_contains("data") : nullptr;
    const json::string* s = data ? data->if_string() : nullptr;
    if (!s)
      return error(where + ".input_audio", "must be an object with base64 'data' and a 'format'");
    tokens_ += audio_part_tokens(s->size(), options_);
    has_audio_ = true;
    hash(
        "\x1b"
        "audio:");
    hash(as_view(*s));
    return core::Status::ok();
  }
  const std::string got = type ? describe_json(*type) : std::string("nothing");
  return error(where + ".type", "must be text, image_url, input_audio or refusal, got " + got);
}

void InputReader::tool_calls(const json::array& calls) {
  // Lenient: the model reads the function name and arguments; other shapes add nothing.
  for (const auto& call : calls) {
    const json::object* c = call.if_object();
    const json::value* fn = c ? c->if_contains("function") : nullptr;
    const json::object* f = fn ? fn->if_object() : nullptr;
    if (!f) continue;
    tokens_ += kTokensPerMessage;
    for (const char* key : {"name", "arguments"}) {
      const json::value* v = f->if_contains(key);
      if (const json::string* s = v ? v->if_string() : nullptr) text(as_view(*s));
    }
  }
}

core::Status InputReader::prompt(const json::object& body, std::string_view field) {
  const json::value* v = body.if_contains(field);
  if (!v || v->is_null()) {
    return error(field, "is required: a string, an array of strings, or token ids");
  }
  if (const json::string* s = v->if_string()) {
    text(as_view(*s));
  } else if (const json::array* items = v->if_array()) {
    if (items->empty()) return error(field, "must not be empty");
    const std::string name(field);
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (auto s = prompt_item((*items)[i], index_path(name, i)); !s) return s;
    }
  } else {
    return error(field, "must be a string, an array of strings, or an array of token ids, got " +
                            std::string(json_type_name(*v)));
  }
  if (const json::value* suffix = body.if_contains("suffix"); suffix && !suffix->is_null()) {
    const json::string* s = suffix->if_string();
    if (!s) return error("suffix", "must be a string, got " + std::string(json_type_name(*suffix)));
    tokens_ += estimate_tokens(as_view(*s));
  }
  return core::Status::ok();
}

// One element of a prompt or input array: a string, a token id (one token), or an array
// of token ids.
core::Status InputReader::prompt_item(const json::value& v, const std::string& where) {
  const auto token_id = [](const json::value& t) {
    return (t.is_int64() && t.get_int64() >= 0) || t.is_uint64();
  };
  const auto id_of = [](const json::value& t) -> std::uint64_t {
    return t.is_uint64() ? t.get_uint64() : static_cast<std::uint64_t>(t.get_int64());
  };
  if (const json::string* s = v.if_string()) {
    text(as_view(*s));
    hash(kMessageSeparator);
  } else if (token_id(v)) {
    tokens_ += 1;
    hash_token_id(id_of(v));
  } else if (const json::array* ids = v.if_array()) {
    for (std::size_t k = 0; k < ids->size(); ++k) {
      if (!token_id((*ids)[k])) {
        return error(index_path(where, k), "must be a token id (a non-negative integer), got " +
                                               describe_json((*ids)[k]));
      }
      hash_token_id(id_of((*ids)[k]));
    }
    tokens_ += static_cast<std::int64_t>(ids->size());
    hash(kMessageSeparator);
  } else {
    return error(where,
                 "must be a string, a token id or an array of token ids, got " + describe_json(v));
  }
  return core::Status::ok();
}

}  // namespace

core::Status read_inputs(core::TaskKind kind, const json::object& body, std::string_view path,
                         const ParseOptions& options, core::TaskSpec& out) {
  // Embedding servers keep no KV cache, so embeddings get no prefix hashes.
  InputReader reader(path, options, kind != core::TaskKind::kEmbedding);
  core::Status status;
  switch (kind) {
    case core::TaskKind::kChat:
      status = reader.chat(body);
      break;
    case core::TaskKind::kCompletion:
      status = reader.prompt(body, "prompt");
      break;
    case core::TaskKind::kEmbedding:
      status = reader.prompt(body, "input");
      break;
    case core::TaskKind::kAsync:
      return core::Status(core::ErrorCode::kInternal, "read_inputs: async is not a body kind");
  }
  if (!status) return status;
  std::move(reader).finish(out);
  return core::Status::ok();
}

std::int64_t image_part_tokens(bool low_detail, const ParseOptions& options) {
  return low_detail ? kLowDetailImageTokens : options.image_tokens;
}

std::int64_t audio_part_tokens(std::size_t base64_chars, const ParseOptions& options) {
  const std::int64_t decoded = static_cast<std::int64_t>(base64_chars) / 4 * 3;
  const std::int64_t per_token =
      options.audio_bytes_per_token > 0 ? options.audio_bytes_per_token : 1;
  return 1 + decoded / per_token;
}

}  // namespace autoglm::parse
