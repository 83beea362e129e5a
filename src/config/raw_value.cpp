#include "config/raw_value.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace autoglm::config {

std::string Origin::where() const {
  if (line <= 0) return source;
  return source + ":" + std::to_string(line);
}

RawValue RawValue::null(Origin origin) { return RawValue(Kind::kNull, std::move(origin)); }

RawValue RawValue::scalar(std::string text, Origin origin) {
  RawValue value(Kind::kScalar, std::move(origin));
  value.text_ = std::move(text);
  return value;
}

RawValue RawValue::sequence(Origin origin) { return RawValue(Kind::kSequence, std::move(origin)); }

RawValue RawValue::map(Origin origin) { return RawValue(Kind::kMap, std::move(origin)); }

const RawValue* RawValue::find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

RawValue* RawValue::find(std::string_view key) {
  for (Entry& entry : entries_) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

RawValue& RawValue::get_or_add(std::string_view key, const Origin& key_origin) {
  if (RawValue* existing = find(key)) return *existing;
  entries_.push_back(Entry{std::string(key), key_origin, RawValue::null(key_origin)});
  return entries_.back().value;
}

std::string RawValue::describe() const {
  switch (kind_) {
    case Kind::kNull:
      return "nothing";
    case Kind::kScalar:
      return "'" + text_ + "'";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a map";
    case Kind::kInvalid:
      break;
  }
  return "an invalid value";
}

namespace {

// Converts one yaml-cpp node; `fallback` is used when yaml-cpp has no mark (null values).
class Converter {
 public:
  // Marks are used only when `top` has a line; values parsed from a flag have none.
  // `text_size` bounds how many values aliases may expand to (see kMaxDepth).
  Converter(const Origin& top, std::size_t text_size)
      : source_(top.source), use_marks_(top.line > 0), values_left_(1024 + 4 * text_size) {}

  RawValue convert(const YAML::Node& node, const Origin& fallback, int depth = 0) {
    Origin origin = origin_of(node.Mark(), fallback);
    if (depth > kMaxDepth || values_left_ == 0) {
      if (!too_large_) {
        errors_.push_back(origin.where() + (depth > kMaxDepth
                                                ? ": nested deeper than 64 levels"
                                                : ": aliases expand to too many values"));
      }
      too_large_ = true;
      return RawValue::null(origin);
    }
    --values_left_;
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return RawValue::scalar(node.Scalar(), origin);
      case YAML::NodeType::Sequence: {
        RawValue seq = RawValue::sequence(origin);
        for (const YAML::Node& item : node) {
          seq.items().push_back(convert(item, origin, depth + 1));
          if (too_large_) break;
        }
        return seq;
      }
      case YAML::NodeType::Map:
        return convert_map(node, origin, depth);
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    return RawValue::null(origin);
  }

  std::vector<std::string> take_errors() { return std::move(errors_); }

 private:
  // YAML aliases share nodes, so a short text can name a cyclic (`&a [*a]`) or huge
  // ("billion laughs") tree; conversion stops at this depth or when the budget is spent.
  static constexpr int kMaxDepth = 64;

  RawValue convert_map(const YAML::Node& node, const Origin& origin, int depth) {
    RawValue map = RawValue::map(origin);
    for (const auto& pair : node) {
      if (too_large_) break;
      Origin key_origin = origin_of(pair.first.Mark(), origin);
      if (!pair.first.IsScalar()) {
        errors_.push_back(key_origin.where() + ": keys must be plain strings");
        continue;
      }
      const std::string key = pair.first.Scalar();
      if (map.find(key) != nullptr) {
        errors_.push_back(key_origin.where() + ": duplicate key '" + key + "'");
        continue;
      }
      map.entries().push_back({key, key_origin, convert(pair.second, key_origin, depth + 1)});
    }
    return map;
  }

  Origin origin_of(const YAML::Mark& mark, const Origin& fallback) const {
    if (!use_marks_ || mark.is_null() || mark.line < 0) return fallback;
    return Origin{source_, mark.line + 1};
  }

  const std::string& source_;
  bool use_marks_;
  std::size_t values_left_;
  bool too_large_ = false;
  std::vector<std::string> errors_;
};

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

}  // namespace

namespace {

core::Result<YAML::Node> load_document(const std::string& text, const Origin& origin) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const bool has_line = origin.line > 0 && !e.mark.is_null();
    Origin at{origin.source, has_line ? e.mark.line + 1 : origin.line};
    return core::invalid_argument(at.where() + ": YAML syntax error: " + e.msg);
  }
}

core::Result<RawValue> convert_document(const YAML::Node& document, const Origin& origin,
                                        std::size_t text_size) {
  Converter converter(origin, text_size);
  RawValue value = converter.convert(document, origin);
  std::vector<std::string> errors = converter.take_errors();
  if (!errors.empty()) return core::invalid_argument(join_lines(errors));
  return value;
}

}  // namespace

core::Result<RawValue> parse_yaml(const std::string& text, const std::string& source) {
  const Origin top{source, 1};
  core::Result<YAML::Node> document = load_document(text, top);
  if (!document) return document.status();
  if (document->IsNull() || !document->IsDefined()) return RawValue::map(top);
  if (!document->IsMap()) {
    return core::invalid_argument(top.where() +
                                  ": the configuration must be a map of sections, got " +
                                  (document->IsSequence() ? "a list" : "a scalar"));
  }
  return convert_document(*document, top, text.size());
}

core::Result<RawValue> parse_yaml_value(const std::string& text, const Origin& origin) {
  if (text.empty()) return RawValue::scalar("", origin);
  core::Result<YAML::Node> document = load_document(text, origin);
  if (!document) return document.status();
  return convert_document(*document, origin, text.size());
}

core::Result<RawValue> read_yaml_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    return core::invalid_argument("configuration file '" + path + "' does not exist");
  }
  if (std::filesystem::is_directory(status)) {
    return core::invalid_argument("configuration file '" + path + "' is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::invalid_argument("configuration file '" + path + "' cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_yaml(text.str(), path);
}

}  // namespace autoglm::config
