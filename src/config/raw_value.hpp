// RawValue: a YAML document as plain data, each value remembering where it came from.
// The loader merges and overrides these trees before any typing, so messages can still
// name the file and line (or the environment variable, or --set) behind every value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace autoglm::config {

// Where a value was written: a file and 1-based line, or an override with no line.
struct Origin {
  std::string source;  // a file path, "$AUTOGLM_SERVER_PORT" or "--set"
  int line = 0;        // 0 when the source has no lines

  // "file.yaml:3", or just the source when there is no line.
  std::string where() const;
};

class RawValue {
 public:
  // kInvalid marks a value already reported as wrong (e.g. a failed ${VAR}); readers skip it.
  enum class Kind { kNull, kScalar, kSequence, kMap, kInvalid };

  struct Entry;  // one key of a map, defined below

  RawValue() = default;
  static RawValue null(Origin origin);
  static RawValue scalar(std::string text, Origin origin);
  static RawValue sequence(Origin origin);
  static RawValue map(Origin origin);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_scalar() const { return kind_ == Kind::kScalar; }
  bool is_sequence() const { return kind_ == Kind::kSequence; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_invalid() const { return kind_ == Kind::kInvalid; }
  void mark_invalid() { kind_ = Kind::kInvalid; }

  const Origin& origin() const { return origin_; }
  // REQUIRES: is_scalar()
  const std::string& text() const { return text_; }
  void set_text(std::string text) { text_ = std::move(text); }

  // REQUIRES: is_sequence()
  std::vector<RawValue>& items() { return items_; }
  const std::vector<RawValue>& items() const { return items_; }

  // REQUIRES: is_map(). Entries keep the order they were written in.
  std::vector<Entry>& entries() { return entries_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const RawValue* find(std::string_view key) const;
  RawValue* find(std::string_view key);
  // Returns the value under `key`, appending a null entry when it is absent.
  RawValue& get_or_add(std::string_view key, const Origin& key_origin);

  // "a scalar 'abc'", "a map", "a list", "nothing": for "expected X, got Y" messages.
  std::string describe() const;

 private:
  RawValue(Kind kind, Origin origin);  // defined below, once Entry is complete

  Kind kind_ = Kind::kNull;
  Origin origin_;
  std::string text_;
  std::vector<RawValue> items_;
  std::vector<Entry> entries_;
};

struct RawValue::Entry {
  std::string key;
  Origin key_origin;  // where the key itself was written
  RawValue value;
};

// Parses YAML text into a RawValue; `source` names it in origins and messages.
// An empty document is an empty map. Syntax errors and duplicate keys are errors
// of the form "SOURCE:LINE: message".
core::Result<RawValue> parse_yaml(const std::string& text, const std::string& source);

// Parses one value written in YAML (a --set value): any kind, not only a map. Its
// origin, and its children's, is `origin`. Empty text is an empty string, not null.
core::Result<RawValue> parse_yaml_value(const std::string& text, const Origin& origin);

// Reads and parses a file; a missing or unreadable file is an error naming it.
core::Result<RawValue> read_yaml_file(const std::string& path);

inline RawValue::RawValue(Kind kind, Origin origin)
    : kind_(kind), origin_(std::move(origin)) {}

}  // namespace autoglm::config
