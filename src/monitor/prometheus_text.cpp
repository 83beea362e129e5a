#include "monitor/prometheus_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace autoglm::monitor {

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_space(char c) { return c == ' ' || c == '\t'; }

void skip_spaces(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

std::string_view read_name(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  if (i >= s.size() || !is_name_start(s[i])) return {};
  while (i < s.size() && is_name_char(s[i])) ++i;
  return s.substr(start, i - start);
}

std::string_view read_token(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && !is_space(s[i])) ++i;
  return s.substr(start, i - start);
}

// A label value between double quotes with \\, \" and \n escapes. `i` is on the opening
// quote; on success it ends past the closing one.
std::optional<std::string> read_quoted(std::string_view s, std::size_t& i) {
  if (i >= s.size() || s[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c == '\\' && i + 1 < s.size()) {
      char e = s[++i];
      out.push_back(e == 'n' ? '\n' : e);  // \\ and \" map to themselves
    } else {
      out.push_back(c);
    }
  }
  return std::nullopt;
}

std::string unescape_help(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == 'n')) {
      out.push_back(s[i + 1] == 'n' ? '\n' : '\\');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Parses `{a="1",b="2"}` (trailing comma allowed). `i` is on '{'.
bool read_labels(std::string_view s, std::size_t& i, Sample& sample, std::string& why) {
  ++i;
  for (;;) {
    skip_spaces(s, i);
    if (i < s.size() && s[i] == '}') {
      ++i;
      return true;
    }
    std::string_view key = read_name(s, i);
    if (key.empty()) {
      why = "expected a label name";
      return false;
    }
    skip_spaces(s, i);
    if (i >= s.size() || s[i] != '=') {
      why = "expected '=' after label " + std::string(key);
      return false;
    }
    ++i;
    skip_spaces(s, i);
    auto value = read_quoted(s, i);
    if (!value) {
      why = "unterminated or unquoted value of label " + std::string(key);
      return false;
    }
    sample.labels.emplace_back(std::string(key), std::move(*value));
    skip_spaces(s, i);
    if (i < s.size() && s[i] == ',')
      ++i;
    else if (i >= s.size() || s[i] != '}') {
      why = "expected ',' or '}' in labels";
      return false;
    }
  }
}

void parse_comment(std::string_view line, Exposition& out) {
  std::size_t i = 1;
  skip_spaces(line, i);
  std::string_view keyword = read_token(line, i);
  if (keyword != "HELP" && keyword != "TYPE") return;  // a plain comment
  skip_spaces(line, i);
  std::string_view name = read_name(line, i);
  if (name.empty()) return;
  skip_spaces(line, i);
  std::string_view rest = line.substr(i);
  if (keyword == "HELP") {
    out.help[std::string(name)] = unescape_help(rest);
  } else {
    while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
    out.types[std::string(name)] = std::string(rest);
  }
}

std::optional<Sample> parse_sample(std::string_view line, std::string& why) {
  Sample sample;
  std::size_t i = 0;
  std::string_view name = read_name(line, i);
  if (name.empty()) {
    why = "expected a metric name";
    return std::nullopt;
  }
  sample.name = std::string(name);
  skip_spaces(line, i);
  if (i < line.size() && line[i] == '{' && !read_labels(line, i, sample, why)) return std::nullopt;
  skip_spaces(line, i);
  auto value = parse_sample_value(read_token(line, i));
  if (!value) {
    why = "expected a number after " + sample.name;
    return std::nullopt;
  }
  sample.value = *value;
  skip_spaces(line, i);
  if (i < line.size()) {
    std::string_view ts = read_token(line, i);
    std::int64_t t = 0;
    auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), t);
    if (ec != std::errc{} || p != ts.data() + ts.size()) {
      why = "unexpected text after the value of " + sample.name;
      return std::nullopt;
    }
    sample.timestamp_ms = t;
  }
  return sample;
}

}  // namespace

const std::string* Sample::label(std::string_view key) const {
  for (const auto& [k, v] : labels) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::vector<const Sample*> Exposition::find(std::string_view name) const {
  std::vector<const Sample*> out;
  for (const auto& s : samples) {
    if (s.name == name) out.push_back(&s);
  }
  return out;
}

bool Exposition::has(std::string_view name) const {
  for (const auto& s : samples) {
    if (s.name == name) return true;
  }
  return false;
}

std::optional<double> parse_sample_value(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  if (std::isnan(v) || std::isinf(v)) return std::nullopt;  // only the spellings above
  return v;
}

Exposition parse_prometheus_text(std::string_view text) {
  Exposition out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t i = 0;
    skip_spaces(line, i);
    line = line.substr(i);
    if (line.empty()) continue;
    if (line.front() == '#') {
      parse_comment(line, out);
      continue;
    }
    std::string why;
    if (auto sample = parse_sample(line, why)) {
      out.samples.push_back(std::move(*sample));
    } else {
      out.errors.push_back("line " + std::to_string(line_no) + ": " + why);
    }
  }
  return out;
}

}  // namespace autoglm::monitor
