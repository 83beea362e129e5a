#include "loadgen/sse.hpp"

#include <boost/json.hpp>

namespace autoglm::loadgen {

namespace json = boost::json;

void SseParser::feed(std::string_view bytes, std::vector<std::string>& out) {
  std::size_t pos = 0;
  if (last_was_cr_ && !bytes.empty() && bytes.front() == '\n') pos = 1;
  last_was_cr_ = false;
  while (pos < bytes.size()) {
    const std::size_t end = bytes.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      partial_.append(bytes.substr(pos));
      return;
    }
    std::string_view piece = bytes.substr(pos, end - pos);
    if (partial_.empty()) {
      line(piece, out);
    } else {
      partial_.append(piece);
      line(partial_, out);
      partial_.clear();
    }
    pos = end + 1;
    if (bytes[end] == '\r') {
      if (pos < bytes.size() && bytes[pos] == '\n')
        ++pos;
      else if (pos == bytes.size())
        last_was_cr_ = true;
    }
  }
}

void SseParser::line(std::string_view text, std::vector<std::string>& out) {
  if (text.empty()) {
    if (has_data_) out.push_back(std::move(data_));
    data_.clear();
    has_data_ = false;
    return;
  }
  if (text.front() == ':') return;
  const std::size_t colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") return;
  if (has_data_) data_.push_back('\n');
  data_.append(value);
  has_data_ = true;
}

namespace {

bool non_empty_string(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v && v->is_string() && !v->get_string().empty();
}

std::optional<std::int64_t> usage_tokens(const json::object& obj) {
  const auto* usage = obj.if_contains("usage");
  if (!usage || !usage->is_object()) return std::nullopt;
  const auto* n = usage->get_object().if_contains("completion_tokens");
  if (!n || !n->is_number()) return std::nullopt;
  return n->to_number<std::int64_t>();
}

}  // namespace

ChunkInfo read_chunk(std::string_view data) {
  ChunkInfo info;
  if (data == "[DONE]") {
    info.done = true;
    return info;
  }
  json::error_code ec;
  json::value v = json::parse(data, ec);
  if (ec || !v.is_object() || v.get_object().contains("error")) {
    info.error = true;
    return info;
  }
  const auto& obj = v.get_object();
  info.completion_tokens = usage_tokens(obj);
  const auto* choices = obj.if_contains("choices");
  if (!choices || !choices->is_array()) return info;
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    if (!choice) continue;
    const auto* delta = choice->if_contains("delta");
    if ((delta && delta->is_object() && non_empty_string(delta->get_object(), "content")) ||
        non_empty_string(*choice, "text")) {
      info.token = true;
    }
  }
  return info;
}

CompletionInfo read_completion(std::string_view body) {
  CompletionInfo info;
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return info;
  const auto& obj = v.get_object();
  const auto* choices = obj.if_contains("choices");
  info.ok = choices && choices->is_array() && !choices->get_array().empty();
  info.completion_tokens = usage_tokens(obj).value_or(0);
  return info;
}

}  // namespace autoglm::loadgen
