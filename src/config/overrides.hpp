// Overrides applied after the files: AUTOGLM_* environment variables, then --set flags.
// Both write into the merged RawValue tree, so the same validation covers them.
#pragma once

#include <string>
#include <vector>

#include "config/diagnostics.hpp"
#include "config/loader.hpp"
#include "config/raw_value.hpp"

namespace autoglm::config {

// For every scalar key in the schema, looks up its variable (env_variable_for, e.g.
// AUTOGLM_SERVER_CONTEXT_PATH for server.context-path) through `env` and, when set,
// replaces the key's value with the variable's text, taken literally. Other AUTOGLM_*
// variables are never looked at, so they are ignored.
void apply_env_overrides(RawValue& root, const EnvLookup& env);

// Applies "key.path=value" flags in order. The key must be a schema key (a malformed
// flag or unknown key is reported, with a did-you-mean); the value is parsed as YAML, so
// `--set nodes=[...]` works and quotes may force a string. An empty value is "".
void apply_set_flags(RawValue& root, const std::vector<std::string>& sets,
                     Diagnostics& diagnostics);

}  // namespace autoglm::config
