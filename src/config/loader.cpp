#include "config/loader.hpp"

#include <cctype>
#include <cstdlib>
#include <exception>
#include <filesystem>

#include "config/decode.hpp"
#include "config/diagnostics.hpp"
#include "config/merge.hpp"
#include "config/overrides.hpp"
#include "config/raw_value.hpp"
#include "config/substitution.hpp"

namespace autoglm::config {
namespace {

bool valid_profile_name(const std::string& profile) {
  if (profile.empty()) return false;
  for (char c : profile) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Reads one file and expands its ${VAR} references. A file that cannot be read or
// parsed stops the load; substitution errors are collected.
core::Result<RawValue> read_file(const std::string& path, const EnvLookup& env,
                                 Diagnostics& diagnostics) {
  core::Result<RawValue> tree = read_yaml_file(path);
  if (tree) substitute_tree(*tree, env, diagnostics);
  return tree;
}

core::Result<RawValue> read_files(const LoadOptions& options, Diagnostics& diagnostics) {
  if (options.path.empty()) {
    if (!options.profile.empty()) {
      return core::invalid_argument("profile '" + options.profile +
                                    "' needs a configuration file to sit beside");
    }
    return RawValue::map(Origin{"defaults", 0});
  }
  core::Result<RawValue> tree = read_file(options.path, options.env, diagnostics);
  if (!tree || options.profile.empty()) return tree;
  if (!valid_profile_name(options.profile)) {
    return core::invalid_argument("profile name '" + options.profile +
                                  "' may hold only letters, digits, '-' and '_'");
  }
  core::Result<RawValue> profile =
      read_file(profile_path(options.path, options.profile), options.env, diagnostics);
  if (!profile) return profile.status();
  merge_into(*tree, *profile);
  return tree;
}

core::Result<Config> load_checked(const LoadOptions& options) {
  Diagnostics diagnostics;
  core::Result<RawValue> tree = read_files(options, diagnostics);
  if (!tree) return tree.status();
  apply_env_overrides(*tree, options.env);
  apply_set_flags(*tree, options.sets, diagnostics);
  Config config;
  config.source_file = options.path;
  decode_config(*tree, config, diagnostics);
  if (!diagnostics.empty()) return diagnostics.status();
  return config;
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

LoadOptions options_from_env(EnvLookup env) {
  LoadOptions options;
  if (env) {
    if (std::optional<std::string> path = env(kConfigPathVariable)) options.path = *path;
    if (std::optional<std::string> profile = env(kProfileVariable)) options.profile = *profile;
  }
  options.env = std::move(env);
  return options;
}

std::string profile_path(const std::string& path, const std::string& profile) {
  const std::filesystem::path base(path);
  const std::string name = base.stem().string() + "-" + profile + base.extension().string();
  return (base.parent_path() / name).string();
}

core::Result<Config> load(const LoadOptions& options) {
  try {
    return load_checked(options);
  } catch (const std::exception& e) {
    return core::Status(core::ErrorCode::kInternal,
                        "loading configuration failed unexpectedly: " + std::string(e.what()));
  }
}

core::Result<Config> load_from_string(const std::string& yaml, const std::string& source,
                                      const EnvLookup& env) {
  try {
    core::Result<RawValue> tree = parse_yaml(yaml, source);
    if (!tree) return tree.status();
    Diagnostics diagnostics;
    substitute_tree(*tree, env, diagnostics);
    Config config;
    config.source_file = source;
    decode_config(*tree, config, diagnostics);
    if (!diagnostics.empty()) return diagnostics.status();
    return config;
  } catch (const std::exception& e) {
    return core::Status(core::ErrorCode::kInternal,
                        "loading configuration failed unexpectedly: " + std::string(e.what()));
  }
}

}  // namespace autoglm::config
