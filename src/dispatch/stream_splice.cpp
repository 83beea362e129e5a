#include "dispatch/stream_splice.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <utility>

namespace autoglm::dispatch {

namespace json = boost::json;

namespace {

// Where the event starting at `from` ends: just past its blank line ("\n\n" or "\n\r\n").
std::size_t event_end(std::string_view s, std::size_t from) {
  for (std::size_t nl = s.find('\n', from); nl != std::string_view::npos;
       nl = s.find('\n', nl + 1)) {
    if (nl + 1 < s.size() && s[nl + 1] == '\n') return nl + 2;
    if (nl + 2 < s.size() && s[nl + 1] == '\r' && s[nl + 2] == '\n') return nl + 3;
  }
  return std::string_view::npos;
}

// The event's data lines joined by '\n' (the SSE rule); empty for a comment-only event.
std::string event_data(std::string_view raw) {
  std::string data;
  bool any = false;
  while (!raw.empty()) {
    const std::size_t nl = raw.find('\n');
    std::string_view line = raw.substr(0, nl);
    raw.remove_prefix(nl == std::string_view::npos ? raw.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with("data:")) continue;
    line.remove_prefix(5);
    if (line.starts_with(' ')) line.remove_prefix(1);
    if (any) data += '\n';
    data.append(line);
    any = true;
  }
  return data;
}

bool is_empty_text(const json::value* v) {
  return v == nullptr || v->is_null() || (v->is_string() && v->get_string().empty());
}

// A choice that says nothing: no text, no other delta field, no finish.
bool says_nothing(const json::object& choice, bool chat) {
  const auto* finish = choice.if_contains("finish_reason");
  if (finish && !finish->is_null()) return false;
  if (!chat) return is_empty_text(choice.if_contains("text"));
  const auto* delta = choice.if_contains("delta");
  if (!delta || !delta->is_object()) return true;
  for (const auto& [key, value] : delta->get_object()) {
    if (key != "content" || !is_empty_text(&value)) return false;
  }
  return true;
}

}  // namespace

std::string StreamSplice::relay(std::string_view bytes) {
  pending_.append(bytes);
  std::string out;
  std::size_t from = 0;
  for (std::size_t end; (end = event_end(pending_, from)) != std::string::npos; from = end) {
    out += event(std::string_view(pending_).substr(from, end - from));
  }
  pending_.erase(0, from);
  if (!out.empty() && !comment_.empty()) out.insert(0, std::exchange(comment_, {}));
  return out;
}

void StreamSplice::begin_continuation(std::string_view node_id) {
  ++resumes_;
  tokens_before_ = tokens_;
  pending_.clear();  // the event the failed node was cut off in
  comment_ = ": autoglm-resumed " + std::to_string(resumes_) + " node=" + std::string(node_id) +
             " after_tokens=" + std::to_string(tokens_) + "\n\n";
}

std::string StreamSplice::event(std::string_view raw) {
  const std::string data = event_data(raw);
  if (data.empty()) return std::string(raw);  // a comment or keep-alive
  if (data == "[DONE]") {
    done_ = true;
    return std::string(raw);
  }
  boost::system::error_code ec;
  json::value doc = json::parse(data, ec);
  json::object* chunk = ec ? nullptr : doc.if_object();
  if (!chunk) return std::string(raw);  // not ours to understand
  if (resumes_ == 0) {
    record(*chunk);
    return std::string(raw);
  }
  if (!rewrite(*chunk)) return {};
  record(*chunk);
  return "data: " + json::serialize(*chunk) + "\n\n";
}

void StreamSplice::record(const json::object& chunk) {
  if (id_.empty()) {
    if (const auto* id = chunk.if_contains("id"); id && id->is_string()) id_ = id->get_string();
    if (const auto* created = chunk.if_contains("created")) created_ = json::serialize(*created);
  }
  const auto* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return;
  for (const auto& value : choices->get_array()) {
    const auto* choice = value.if_object();
    const auto* index = choice ? choice->if_contains("index") : nullptr;
    if (!index || !index->is_int64() || index->get_int64() != 0) continue;
    const json::value* text = choice->if_contains("text");
    if (chat_) {
      const auto* delta = choice->if_contains("delta");
      text = delta && delta->is_object() ? delta->get_object().if_contains("content") : nullptr;
    }
    if (!is_empty_text(text)) {
      text_.append(text->get_string());
      ++tokens_;
    }
    const auto* finish = choice->if_contains("finish_reason");
    finished_ = finished_ || (finish && !finish->is_null());
  }
}

bool StreamSplice::rewrite(json::object& chunk) const {
  if (!id_.empty() && chunk.contains("id")) chunk["id"] = id_;
  if (!created_.empty() && chunk.contains("created")) chunk["created"] = json::parse(created_);
  bool silent = true;
  if (auto* choices = chunk.if_contains("choices"); choices && choices->is_array()) {
    for (auto& value : choices->get_array()) {
      auto* choice = value.if_object();
      if (!choice) continue;
      if (auto* delta = choice->if_contains("delta"); delta && delta->is_object()) {
        delta->get_object().erase("role");
      }
      silent = silent && says_nothing(*choice, chat_);
    }
  }
  auto* usage = chunk.if_contains("usage");
  if (usage && usage->is_object()) {
    auto& u = usage->get_object();
    auto* completion = u.if_contains("completion_tokens");
    const auto* prompt = u.if_contains("prompt_tokens");
    if (completion && completion->is_int64()) {
      const std::int64_t total = completion->get_int64() + tokens_before_;
      // Read everything before inserting: an insertion may rehash the object and move
      // the values the pointers above refer to.
      const std::optional<std::int64_t> prompt_tokens =
          prompt && prompt->is_int64() ? std::optional(prompt->get_int64()) : std::nullopt;
      *completion = total;
      if (prompt_tokens) u["total_tokens"] = *prompt_tokens + total;
    }
  }
  return !silent || (usage && !usage->is_null());
}

}  // namespace autoglm::dispatch
