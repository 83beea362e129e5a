// Loads Open-AutoGLM's YAML configuration: defaults, file, profile file, environment,
// --set flags, in that order; validates it against the schema with precise errors.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/status.hpp"

namespace autoglm::config {

// Reads an environment variable; injected so tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();

struct LoadOptions {
  std::string path = "config/autoglm.yaml";  // empty: built-in defaults only
  std::string profile;                       // loads autoglm-<profile>.yaml beside `path`
  std::vector<std::string> sets;             // "key.path=value" overrides, applied last
  EnvLookup env = process_env();
};

// Reserved environment variables: they choose the file and the profile and are never
// read as keys.
inline constexpr const char* kConfigPathVariable = "AUTOGLM_CONFIG";
inline constexpr const char* kProfileVariable = "AUTOGLM_PROFILE";

// Default LoadOptions with `path` from AUTOGLM_CONFIG and `profile` from AUTOGLM_PROFILE
// when those are set (a command line's --config/--profile should then win). Uses `env`
// for the lookups and stores it in the options.
LoadOptions options_from_env(EnvLookup env = process_env());

// The profile file for `path`: autoglm-<profile>.yaml beside config/autoglm.yaml, in
// general <stem>-<profile><extension> in the same folder.
std::string profile_path(const std::string& path, const std::string& profile);

// Built-in defaults, then `path`, then its profile file, then AUTOGLM_* variables, then
// `sets`. Every problem found is reported, one per line, in one kInvalidArgument Status;
// each line names the file, line and key path, e.g.
//   config/autoglm.yaml:3: server.prot: unknown key (did you mean 'port'?)
// Never throws.
core::Result<Config> load(const LoadOptions& options);

// Loads from YAML text in memory over the built-in defaults, with ${VAR} substitution
// from `env`; no profile, AUTOGLM_* overrides or --set. `source` names it in messages.
core::Result<Config> load_from_string(const std::string& yaml, const std::string& source,
                                      const EnvLookup& env);

// The effective configuration as YAML, secrets replaced by "******".
std::string to_yaml(const Config& config);

}  // namespace autoglm::config
