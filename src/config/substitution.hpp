// ${VAR} and ${VAR:-default} in configuration values, resolved from the environment.
// Applied to every scalar value of a file (not to keys) before files are merged.
#pragma once

#include <string>
#include <string_view>

#include "config/diagnostics.hpp"
#include "config/loader.hpp"
#include "config/raw_value.hpp"
#include "core/status.hpp"

namespace autoglm::config {

// Expands references in one string:
//   ${NAME}            the variable's value; an error if it is not set (empty is fine)
//   ${NAME:-fallback}  the variable's value, or `fallback` when unset or empty
//   $${                a literal "${"
// NAME is [A-Za-z_][A-Za-z0-9_]*. The fallback is taken literally up to the first '}'.
// On failure the message names the variable, e.g. "environment variable DB_PASSWORD is
// not set".
core::Result<std::string> substitute(std::string_view text, const EnvLookup& env);

// Expands every scalar value in `root`. A value that fails is reported as
// "FILE:LINE: key.path: message" and marked invalid so it is not reported again.
void substitute_tree(RawValue& root, const EnvLookup& env, Diagnostics& diagnostics);

// Doubles "${" into "$${" so `text` survives substitute() unchanged (used by to_yaml).
std::string escape_substitution(std::string_view text);

}  // namespace autoglm::config
