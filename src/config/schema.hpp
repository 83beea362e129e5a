// The configuration schema: every key a file may set, its type and range, and how it
// lands in Config. The one place to add a key (then document it in
// docs/configuration.md). Unknown keys, env-variable names and --set checks all
// derive from this table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/field.hpp"
#include "core/status.hpp"

namespace autoglm::config {

// A key whose value is read as a whole: a scalar, or a list such as `nodes`.
struct KeySpec {
  std::string_view path;  // dotted, e.g. "server.context-path"
  bool scalar;            // false for lists; only scalars may come from AUTOGLM_* variables
  // Reads the value into `config`; reports problems through the field.
  void (*apply)(const Field& field, Config& config);
};

// All keys, grouped by section in the order the documentation lists them.
const std::vector<KeySpec>& key_schema();

// The spec for a full key path, or nullptr.
const KeySpec* find_key(std::string_view path);

// The names directly under a section ("" is the top level), e.g. "server" -> port, host...
std::vector<std::string> child_names(std::string_view section);

// Every key path and section path (for did-you-mean on --set).
std::vector<std::string> all_paths();

// "server.context-path" -> "AUTOGLM_SERVER_CONTEXT_PATH".
std::string env_variable_for(std::string_view path);

// "" or "/x/y": must start with '/'; a trailing '/' is dropped and "/" becomes "".
core::Result<std::string> normalize_context_path(std::string_view text);

// The scheduler policies scheduler.policy accepts.
std::vector<std::string_view> scheduler_policies();

}  // namespace autoglm::config
