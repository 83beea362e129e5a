#include "sim/yaml_fields.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "core/split.hpp"
#include "core/suggest.hpp"

namespace autoglm::sim {

YamlFields::YamlFields(const YAML::Node& map, std::string origin)
    : state_(std::make_shared<State>(State{std::move(origin), {}})), map_(map) {}

YamlFields::YamlFields(YamlFields& parent, const YAML::Node& map, const std::string& key)
    : state_(parent.state_), map_(map), prefix_(parent.path(key)) {}

std::string YamlFields::path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

std::string YamlFields::describe(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return "'" + node.Scalar() + "'";
}

void YamlFields::fail(const YAML::Node& node, std::string_view key, const std::string& what) {
  if (!state_->status.is_ok()) return;
  state_->status = core::invalid_argument(
      fmt::format("{}:{}: {}: {}", state_->origin, node.Mark().line + 1, path(key), what),
      path(key));
}

void YamlFields::fail_here(const std::string& what) {
  if (!state_->status.is_ok()) return;
  state_->status = core::invalid_argument(
      prefix_.empty() ? fmt::format("{}:{}: {}", state_->origin, line(), what)
                      : fmt::format("{}:{}: {}: {}", state_->origin, line(), prefix_, what),
      prefix_);
}

bool YamlFields::has(const char* key) const { return map_.IsMap() && map_[key]; }

YAML::Node YamlFields::find(const char* key, bool required) {
  if (!ok()) return YAML::Node();
  const YAML::Node& map = map_;  // const access: a missing key must not be added
  YAML::Node node = map[key];
  if (!node && required && ok()) {
    state_->status = core::invalid_argument(
        prefix_.empty() ? fmt::format("{}:{}: missing field '{}'", state_->origin, line(), key)
                        : fmt::format("{}:{}: {}: missing field '{}'", state_->origin, line(),
                                      prefix_, key),
        path(key));
  }
  return node;
}

std::optional<std::string> YamlFields::string(const char* key, bool required) {
  YAML::Node node = find(key, required);
  if (!node) return std::nullopt;
  if (!node.IsScalar() || node.Scalar().empty()) {
    fail(node, key, fmt::format("expected a non-empty string, got {}", describe(node)));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<double> YamlFields::number(const char* key, bool required, Sign sign) {
  YAML::Node node = find(key, required);
  if (!node) return std::nullopt;
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
    fail(node, key, fmt::format("expected a number, got {}", describe(node)));
    return std::nullopt;
  }
  if ((sign == Sign::kPositive && value <= 0) || (sign == Sign::kNonNegative && value < 0)) {
    fail(node, key, fmt::format("must be {}, got {}",
                                sign == Sign::kPositive ? "positive" : "zero or positive",
                                node.Scalar()));
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> YamlFields::integer(const char* key, bool required, Sign sign) {
  YAML::Node node = find(key, required);
  if (!node) return std::nullopt;
  long long value = 0;
  if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value)) {
    fail(node, key, fmt::format("expected an integer, got {}", describe(node)));
    return std::nullopt;
  }
  if ((sign == Sign::kPositive && value <= 0) || (sign == Sign::kNonNegative && value < 0)) {
    fail(node, key, fmt::format("must be {}, got {}",
                                sign == Sign::kPositive ? "positive" : "zero or positive", value));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlFields::boolean(const char* key) {
  YAML::Node node = find(key, false);
  if (!node) return std::nullopt;
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    fail(node, key, fmt::format("expected true or false, got {}", describe(node)));
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string>> YamlFields::string_list(const char* key, bool required) {
  YAML::Node node = find(key, required);
  if (!node) return std::nullopt;
  std::vector<std::string> out;
  const auto add = [&](const std::string& text) {
    for (std::string& item : core::split_trimmed(text)) out.push_back(std::move(item));
  };
  if (node.IsScalar()) {
    add(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        fail(item, key, fmt::format("expected a list of names, got {} in it", describe(item)));
        return std::nullopt;
      }
      add(item.Scalar());
    }
  } else {
    fail(node, key, fmt::format("expected a list of names, got {}", describe(node)));
    return std::nullopt;
  }
  if (out.empty()) {
    fail(node, key, "the list is empty");
    return std::nullopt;
  }
  return out;
}

std::optional<YamlFields> YamlFields::map(const char* key, bool required) {
  YAML::Node node = find(key, required);
  if (!node) return std::nullopt;
  if (!node.IsMap()) {
    fail(node, key, fmt::format("expected a map, got {}", describe(node)));
    return std::nullopt;
  }
  return YamlFields(*this, node, key);
}

void YamlFields::reject_unknown(const std::vector<std::string_view>& known) {
  if (!ok()) return;
  for (const auto& kv : map_) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "(non-scalar key)";
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string normalized = key;
    std::replace(normalized.begin(), normalized.end(), '-', '_');
    const std::optional<std::string> best = core::closest_match(normalized, known);
    std::string known_list;
    for (std::string_view k : known) known_list += (known_list.empty() ? "" : ", ") + std::string(k);
    fail(kv.first, key,
         best ? fmt::format("unknown key (did you mean '{}'?)", *best)
              : fmt::format("unknown key; expected one of {}", known_list));
    return;
  }
}

}  // namespace autoglm::sim
