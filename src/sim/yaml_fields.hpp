// YamlFields: typed reads from one YAML map of a data file (scenarios), remembering the
// first error as "<file>:<line>: <dotted.key>: <what is wrong>", with a suggestion for an
// unknown key. Nested maps share the error state of the file they come from.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::sim {

class YamlFields {
 public:
  enum class Sign { kAny, kPositive, kNonNegative };

  // The root map of a file named `origin`.
  YamlFields(const YAML::Node& map, std::string origin);
  // A nested map at `key` of `parent` (the node must be a map; see map()).
  YamlFields(YamlFields& parent, const YAML::Node& map, const std::string& key);

  bool has(const char* key) const;  // present, even if null
  YAML::Node get(const char* key) const {
    const YAML::Node& map = map_;
    return map[key];
  }

  std::optional<std::string> string(const char* key, bool required = false);
  std::optional<double> number(const char* key, bool required = false,
                               Sign sign = Sign::kPositive);
  std::optional<std::int64_t> integer(const char* key, bool required = false,
                                      Sign sign = Sign::kPositive);
  std::optional<bool> boolean(const char* key);
  // A list of strings, or one string taken as a list of one; also "a,b" in one string.
  std::optional<std::vector<std::string>> string_list(const char* key, bool required = false);
  // The nested map at `key`, or nullopt (and an error if `required` or it is not a map).
  std::optional<YamlFields> map(const char* key, bool required = false);

  // Fails on the first key not in `known`, suggesting a close one.
  void reject_unknown(const std::vector<std::string_view>& known);

  // Records an error at `node` about `key` (a key of this map) unless one is recorded.
  void fail(const YAML::Node& node, std::string_view key, const std::string& what);
  void fail_here(const std::string& what);  // about this map itself
  bool ok() const { return state_->status.is_ok(); }
  const core::Status& status() const { return state_->status; }
  const std::string& origin() const { return state_->origin; }
  std::string path(std::string_view key) const;  // "workload.trace.path"
  int line() const { return map_.Mark().line + 1; }

  static std::string describe(const YAML::Node& node);

 private:
  struct State {
    std::string origin;
    core::Status status;
  };
  YAML::Node find(const char* key, bool required);

  std::shared_ptr<State> state_;
  YAML::Node map_;
  std::string prefix_;  // "workload.trace" for nested maps, "" at the root
};

}  // namespace autoglm::sim
