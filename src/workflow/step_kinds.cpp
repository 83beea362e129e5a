#include "workflow/step_kinds.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <vector>

#include "workflow/json_fields.hpp"

namespace autoglm::workflow {

namespace json = boost::json;

namespace {

constexpr std::string_view kChatRoute = "/v1/chat/completions";

constexpr std::array<StepField, 1> kClassifyFields{
    StepField{"labels", false, true, " Answer with exactly one of these labels per image: {}."}};
constexpr std::array<StepField, 1> kTranscribeFields{
    StepField{"language", false, false, " The speech is in {}."}};
constexpr std::array<StepField, 2> kTranslateFields{
    StepField{"target_language", true, false, " Translate into {}."},
    StepField{"source_language", false, false, " The text is in {}."}};

constexpr std::array<StepKind, 9> kKinds{{
    {"chat", "/v1/chat/completions", "", StepInput::kOpenAi, "", 0, {}},
    {"completion", "/v1/completions", "", StepInput::kOpenAi, "", 0, {}},
    {"embedding", "/v1/embeddings", "", StepInput::kOpenAi, "", 0, {}},
    {"image_classification", kChatRoute, "vision", StepInput::kImages,
     "Classify the image. Answer with a short label naming its main subject, one line per "
     "image.",
     16, kClassifyFields},
    {"image_captioning",
     kChatRoute,
     "vision",
     StepInput::kImages,
     "Write a one-sentence caption for the image, one line per image.",
     64,
     {}},
    {"ocr",
     kChatRoute,
     "vision",
     StepInput::kImages,
     "Extract all text in the image verbatim, keeping its line breaks. Answer with the text "
     "only.",
     512,
     {}},
    {"speech_transcription", kChatRoute, "speech", StepInput::kAudio,
     "Transcribe the audio verbatim. Answer with the transcript only.", 512, kTranscribeFields},
    {"summarization",
     kChatRoute,
     "text",
     StepInput::kText,
     "Summarise the following text concisely. Answer with the summary only.",
     256,
     {}},
    {"translation", kChatRoute, "text", StepInput::kText,
     "Translate the following text. Answer with the translation only.", 512, kTranslateFields},
}};

constexpr std::size_t kMaxImages = 16;
constexpr std::size_t kMaxLabels = 1000;

// Fields every pipeline step takes, and those of its input.
constexpr std::array<std::string_view, 3> kCommonFields{"model", "instruction", "max_tokens"};
std::span<const std::string_view> input_fields(StepInput input) {
  static constexpr std::array<std::string_view, 3> kImages{"image_url", "images", "detail"};
  static constexpr std::array<std::string_view, 2> kAudio{"audio", "format"};
  static constexpr std::array<std::string_view, 1> kText{"text"};
  switch (input) {
    case StepInput::kImages:
      return kImages;
    case StepInput::kAudio:
      return kAudio;
    case StepInput::kText:
      return kText;
    case StepInput::kOpenAi:
      break;
  }
  return {};
}

std::string accepted_fields(const StepKind& kind) {
  std::string out;
  auto add = [&](std::string_view f) { out += (out.empty() ? "" : ", ") + std::string(f); };
  for (auto f : input_fields(kind.input)) add(f);
  for (const auto& f : kind.fields) add(f.name);
  for (auto f : kCommonFields) add(f);
  return out;
}

bool is_template(std::string_view s) { return s.find("{{") != std::string_view::npos; }

core::Status field_error(const std::string& name, const std::string& what) {
  return core::invalid_argument(name + " " + what, name);
}

// A non-empty string at o[field]; nullptr when absent (the caller decides if required).
core::Result<const json::string*> text_field(const json::object& o, std::string_view field,
                                             std::string_view prefix) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return static_cast<const json::string*>(nullptr);
  const std::string name = json_fields::join(prefix, field);
  if (!v->is_string() || v->get_string().empty()) {
    return field_error(name, "must be a non-empty string");
  }
  return &v->get_string();
}

// A list of 1..max non-empty strings at o[field]; empty when absent.
core::Result<std::vector<std::string>> text_list(const json::object& o, std::string_view field,
                                                 std::string_view prefix, std::size_t max) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return out;
  const std::string name = json_fields::join(prefix, field);
  const auto* arr = v->if_array();
  if (arr == nullptr || arr->empty() || arr->size() > max) {
    return field_error(name, "must be a list of 1 to " + std::to_string(max) + " strings");
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto* s = (*arr)[i].if_string();
    if (s == nullptr || s->empty()) {
      return field_error(name + "[" + std::to_string(i) + "]", "must be a non-empty string");
    }
    out.emplace_back(*s);
  }
  return out;
}

core::Status check_known_fields(const StepKind& kind, const json::object& o,
                                std::string_view prefix) {
  for (const auto& kv : o) {
    const std::string_view key = kv.key();
    bool known = std::find(kCommonFields.begin(), kCommonFields.end(), key) != kCommonFields.end();
    for (auto f : input_fields(kind.input)) known = known || f == key;
    for (const auto& f : kind.fields) known = known || f.name == key;
    if (!known) {
      return field_error(json_fields::join(prefix, key),
                         "is not a field of a " + std::string(kind.name) + " step; it takes " +
                             accepted_fields(kind));
    }
  }
  return core::Status::ok();
}

bool is_base64(std::string_view s) {
  for (char c : s) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' ||
                    c == '=' || c == '\n' || c == '\r';
    if (!ok) return false;
  }
  return true;
}

std::string replace_value(std::string_view clause, const std::string& value) {
  std::string out(clause);
  if (auto pos = out.find("{}"); pos != std::string::npos) out.replace(pos, 2, value);
  return out;
}

// The instruction: the payload's own or the kind's, then a sentence per step field given.
core::Result<std::string> instruction_of(const StepKind& kind, const json::object& o,
                                         std::string_view prefix) {
  auto own = text_field(o, "instruction", prefix);
  if (!own) return own.status();
  std::string text = *own ? std::string(**own) : std::string(kind.instruction);
  for (const auto& f : kind.fields) {
    const std::string name = json_fields::join(prefix, f.name);
    std::string value;
    if (f.list) {
      auto items = text_list(o, f.name, prefix, kMaxLabels);
      if (!items) return items.status();
      for (const auto& item : *items) value += (value.empty() ? "" : ", ") + item;
    } else {
      auto s = text_field(o, f.name, prefix);
      if (!s) return s.status();
      if (*s) value = std::string(**s);
    }
    if (value.empty() && f.required) return field_error(name, "is required");
    if (!value.empty()) text += replace_value(f.clause, value);
  }
  return text;
}

core::Result<json::array> image_parts(const json::object& o, std::string_view prefix) {
  auto one = text_field(o, "image_url", prefix);
  if (!one) return one.status();
  auto many = text_list(o, "images", prefix, kMaxImages);
  if (!many) return many.status();
  if ((*one != nullptr) == !many->empty()) {
    return field_error(json_fields::join(prefix, "image_url"),
                       "or " + json_fields::join(prefix, "images") +
                           " is required (exactly one of them): the image URL(s) to look at");
  }
  auto detail = text_field(o, "detail", prefix);
  if (!detail) return detail.status();
  if (*detail && **detail != "low" && **detail != "high" && **detail != "auto") {
    return field_error(json_fields::join(prefix, "detail"), "must be low, high or auto");
  }
  std::vector<std::string> urls = std::move(*many);
  if (*one) urls.emplace_back(**one);
  json::array parts;
  for (const auto& url : urls) {
    json::object image;
    image["url"] = url;
    if (*detail) image["detail"] = **detail;
    json::object part;
    part["type"] = "image_url";
    part["image_url"] = std::move(image);
    parts.push_back(std::move(part));
  }
  return parts;
}

core::Result<json::array> audio_parts(const json::object& o, std::string_view prefix) {
  const std::string name = json_fields::join(prefix, "audio");
  auto audio = text_field(o, "audio", prefix);
  if (!audio) return audio.status();
  if (*audio == nullptr) return field_error(name, "is required: the recording, base64-encoded");
  if (!is_template(**audio) && !is_base64(**audio)) {
    return field_error(name, "must be base64-encoded audio data");
  }
  auto format = text_field(o, "format", prefix);
  if (!format) return format.status();
  const std::string fmt = *format ? std::string(**format) : "wav";
  if (fmt != "wav" && fmt != "mp3") {
    return field_error(json_fields::join(prefix, "format"), "must be wav or mp3");
  }
  json::object input;
  input["data"] = **audio;
  input["format"] = fmt;
  json::object part;
  part["type"] = "input_audio";
  part["input_audio"] = std::move(input);
  json::array parts;
  parts.push_back(std::move(part));
  return parts;
}

core::Result<json::value> content_of(const StepKind& kind, const json::object& o,
                                     std::string_view prefix, std::string instruction) {
  if (kind.input == StepInput::kText) {
    auto text = text_field(o, "text", prefix);
    if (!text) return text.status();
    if (*text == nullptr) {
      return field_error(json_fields::join(prefix, "text"), "is required: the text to work on");
    }
    return json::value(instruction + "\n\n" + std::string(**text));
  }
  auto media = kind.input == StepInput::kImages ? image_parts(o, prefix) : audio_parts(o, prefix);
  if (!media) return media.status();
  json::object text;
  text["type"] = "text";
  text["text"] = instruction;
  json::array parts;
  parts.push_back(std::move(text));
  for (auto& p : *media) parts.push_back(std::move(p));
  return json::value(std::move(parts));
}

}  // namespace

std::span<const StepKind> step_kinds() { return kKinds; }

const StepKind* find_step_kind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string known_step_kinds() {
  std::string out;
  for (const auto& k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

core::Result<const StepKind*> step_kind_or_error(std::string_view name, std::string_view param) {
  if (const StepKind* k = find_step_kind(name)) return k;
  const std::string what = name.empty() ? "is required" : "'" + std::string(name) + "' is unknown";
  return core::invalid_argument(
      std::string(param) + " " + what + "; known kinds: " + known_step_kinds(), std::string(param));
}

core::Result<std::string> step_request_body(const StepKind& kind, std::string_view payload,
                                            std::string_view prefix) {
  auto doc = json_fields::parse_json(payload, prefix);
  if (!doc) return doc.status();
  if (!doc->is_object()) {
    return field_error(std::string(prefix), "must be an object");
  }
  if (kind.input == StepInput::kOpenAi) return std::string(payload);
  const json::object& o = doc->as_object();
  if (auto s = check_known_fields(kind, o, prefix); !s) return s;
  auto model = text_field(o, "model", prefix);
  if (!model) return model.status();
  auto max_tokens = json_fields::get_int(o, "max_tokens", prefix, kind.max_tokens, 1, 32768);
  if (!max_tokens) return max_tokens.status();
  auto instruction = instruction_of(kind, o, prefix);
  if (!instruction) return instruction.status();
  auto content = content_of(kind, o, prefix, std::move(*instruction));
  if (!content) return content.status();
  json::object body;
  if (*model) body["model"] = **model;
  json::object message;
  message["role"] = "user";
  message["content"] = std::move(*content);
  json::array messages;
  messages.push_back(std::move(message));
  body["messages"] = std::move(messages);
  body["max_tokens"] = *max_tokens;
  body["temperature"] = 0;
  return json::serialize(body);
}

}  // namespace autoglm::workflow
