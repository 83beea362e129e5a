#include "workflow/templating.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <functional>

#include "workflow/json_fields.hpp"

namespace autoglm::workflow {

namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// If `inner` (the text between {{ and }}) is tasks.<id>.output, the id.
std::optional<std::string_view> ref_id(std::string_view inner) {
  inner = trim(inner);
  constexpr std::string_view kPrefix = "tasks.";
  constexpr std::string_view kSuffix = ".output";
  if (!inner.starts_with(kPrefix) || !inner.ends_with(kSuffix)) return std::nullopt;
  inner.remove_prefix(kPrefix.size());
  inner.remove_suffix(kSuffix.size());
  if (inner.empty()) return std::nullopt;
  return inner;
}

// Calls on_text for literal stretches and on_ref for each reference, in order.
void scan(std::string_view s, const std::function<void(std::string_view)>& on_text,
          const std::function<void(std::string_view)>& on_ref) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    const auto open = s.find("{{", pos);
    if (open == std::string_view::npos) break;
    const auto close = s.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    auto id = ref_id(s.substr(open + 2, close - open - 2));
    if (id) {
      on_text(s.substr(pos, open - pos));
      on_ref(*id);
    } else {
      on_text(s.substr(pos, close + 2 - pos));
    }
    pos = close + 2;
  }
  on_text(s.substr(pos));
}

}  // namespace

std::vector<std::string> template_refs(std::string_view text) {
  std::vector<std::string> out;
  scan(
      text, [](std::string_view) {},
      [&](std::string_view id) {
        if (std::find(out.begin(), out.end(), id) == out.end()) out.emplace_back(id);
      });
  return out;
}

core::Result<std::string> render_payload(std::string_view payload,
                                         const std::map<std::string, std::string>& outputs) {
  boost::system::error_code ec;
  json::value doc = json::parse(payload, ec);
  if (ec)
    return core::invalid_argument("the payload is not valid JSON: " + ec.message(), "payload");
  json_fields::walk_strings(doc, [&](json::string& s) {
    std::string rendered;
    scan(
        std::string_view(s.data(), s.size()), [&](std::string_view t) { rendered += t; },
        [&](std::string_view id) {
          auto it = outputs.find(std::string(id));
          if (it != outputs.end()) rendered += it->second;
        });
    s = rendered;
  });
  return json::serialize(doc);
}

std::string output_text(std::string_view result_json) {
  boost::system::error_code ec;
  json::value v = json::parse(result_json, ec);
  if (ec) return std::string(result_json);
  if (v.is_string()) return std::string(v.get_string());
  if (const auto* o = v.if_object()) {
    if (const auto* choices = o->if_contains("choices");
        choices && choices->is_array() && !choices->get_array().empty()) {
      const auto& c = choices->get_array()[0];
      if (c.is_object()) {
        if (const auto* msg = c.get_object().if_contains("message"); msg && msg->is_object()) {
          if (const auto* content = msg->get_object().if_contains("content");
              content && content->is_string()) {
            return std::string(content->get_string());
          }
        }
        if (const auto* text = c.get_object().if_contains("text"); text && text->is_string()) {
          return std::string(text->get_string());
        }
      }
    }
    if (const auto* out = o->if_contains("output"); out && out->is_string()) {
      return std::string(out->get_string());
    }
  }
  return json::serialize(v);
}

namespace {

bool is_prompt_key(std::string_view key) {
  return key == "content" || key == "prompt" || key == "input" || key == "text";
}

// Appends the strings under prompt keys (content, prompt, input, text), at any depth.
void collect_prompt(const json::value& v, bool under_prompt_key, std::string& out) {
  if (v.is_string() && under_prompt_key) {
    if (!out.empty()) out += '\n';
    out.append(v.get_string().data(), v.get_string().size());
  } else if (v.is_array()) {
    for (const auto& x : v.get_array()) collect_prompt(x, under_prompt_key, out);
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) collect_prompt(kv.value(), is_prompt_key(kv.key()), out);
  }
}

}  // namespace

std::string prompt_text(std::string_view payload_json) {
  boost::system::error_code ec;
  json::value v = json::parse(payload_json, ec);
  if (ec) return std::string(payload_json);
  std::string out;
  collect_prompt(v, false, out);
  return out;
}

}  // namespace autoglm::workflow
