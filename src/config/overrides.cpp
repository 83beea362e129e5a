#include "config/overrides.hpp"

#include "config/schema.hpp"
#include "core/suggest.hpp"

namespace autoglm::config {
namespace {

// Replaces the value at `path`, creating (or replacing non-map values with) the sections
// on the way.
void set_path(RawValue& root, std::string_view path, RawValue value) {
  RawValue* node = &root;
  const Origin& origin = value.origin();
  for (std::size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.')) {
    RawValue& section = node->get_or_add(path.substr(0, dot), origin);
    if (!section.is_map()) section = RawValue::map(origin);
    node = &section;
    path.remove_prefix(dot + 1);
  }
  node->get_or_add(path, origin) = std::move(value);
}

std::vector<std::string> key_paths() {
  std::vector<std::string> paths;
  for (const KeySpec& spec : key_schema()) paths.emplace_back(spec.path);
  return paths;
}

}  // namespace

void apply_env_overrides(RawValue& root, const EnvLookup& env) {
  if (!env) return;
  for (const KeySpec& spec : key_schema()) {
    if (!spec.scalar) continue;
    const std::string name = env_variable_for(spec.path);
    std::optional<std::string> value = env(name);
    if (!value) continue;
    set_path(root, spec.path, RawValue::scalar(*value, Origin{"environment variable " + name, 0}));
  }
}

void apply_set_flags(RawValue& root, const std::vector<std::string>& sets,
                     Diagnostics& diagnostics) {
  const Origin origin{"--set", 0};
  for (const std::string& flag : sets) {
    const std::size_t equals = flag.find('=');
    if (equals == std::string::npos || equals == 0) {
      diagnostics.error(origin, "", "'" + flag + "': expected key.path=value");
      continue;
    }
    const std::string key = flag.substr(0, equals);
    if (find_key(key) == nullptr) {
      diagnostics.error(origin, key, "unknown key" + core::did_you_mean(key, key_paths()));
      continue;
    }
    core::Result<RawValue> value = parse_yaml_value(flag.substr(equals + 1), origin);
    if (!value) {
      std::string message = value.status().message();
      const std::string prefix = origin.where() + ": ";
      if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
      diagnostics.error(origin, key, message);
      continue;
    }
    set_path(root, key, std::move(value).value());
  }
}

}  // namespace autoglm::config
