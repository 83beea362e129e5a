#include "sim/csv_file.hpp"

#include <cmath>
#include <fmt/format.h>
#include <utility>

namespace autoglm::sim {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool parse_int(std::string_view text, std::int64_t& out) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

bool parse_double(std::string_view text, double& out) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() &&
         std::isfinite(out);
}

core::Result<CsvFile> CsvFile::open(const std::string& path) {
  CsvFile f;
  f.path_ = path;
  f.in_.open(path);
  if (!f.in_) return core::not_found(fmt::format("{}: cannot open the trace file", path), "path");
  if (!f.next()) return core::invalid_argument(fmt::format("{}: the file is empty", path));
  for (std::string_view name : f.fields_) f.header_.emplace_back(trim(name));
  if (!f.header_.empty() && f.header_[0].starts_with("\xEF\xBB\xBF")) {
    f.header_[0].erase(0, 3);  // a UTF-8 byte order mark
  }
  return f;
}

core::Result<std::size_t> CsvFile::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  std::string present;
  for (const auto& h : header_) present += (present.empty() ? "'" : ", '") + h + "'";
  return core::invalid_argument(
      fmt::format("{}:1: missing column '{}'; the header has {}", path_, name, present));
}

bool CsvFile::next() {
  while (std::getline(in_, text_)) {
    ++line_;
    if (trim(text_).empty()) continue;
    split();
    return true;
  }
  return false;
}

void CsvFile::split() {
  fields_.clear();
  unquoted_.clear();
  // Quoted fields are unescaped into unquoted_; reserve so its views stay valid.
  unquoted_.reserve(text_.size());
  std::string_view rest = text_;
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  while (true) {
    std::string_view t = rest;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    if (!t.empty() && t.front() == '"') {
      const std::size_t start = unquoted_.size();
      std::size_t i = 1;
      for (; i < t.size(); ++i) {
        if (t[i] != '"') {
          unquoted_.push_back(t[i]);
        } else if (i + 1 < t.size() && t[i + 1] == '"') {
          unquoted_.push_back('"');
          ++i;
        } else {
          break;
        }
      }
      fields_.emplace_back(unquoted_.data() + start, unquoted_.size() - start);
      const std::size_t comma = t.find(',', i);
      if (comma == std::string_view::npos) return;
      rest = t.substr(comma + 1);
      continue;
    }
    const std::size_t comma = rest.find(',');
    fields_.push_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) return;
    rest.remove_prefix(comma + 1);
  }
}

core::Result<std::string_view> CsvFile::field(std::size_t index,
                                              std::string_view column_name) const {
  if (index >= fields_.size()) {
    return error(fmt::format("expected {} columns, found {} (no '{}')", header_.size(),
                             fields_.size(), column_name));
  }
  return fields_[index];
}

core::Status CsvFile::error(const std::string& what) const {
  return core::invalid_argument(fmt::format("{}:{}: {}", path_, line_, what));
}

}  // namespace autoglm::sim
