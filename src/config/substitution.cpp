#include "config/substitution.hpp"

#include <cctype>

namespace autoglm::config {
namespace {

bool is_name(std::string_view name) {
  if (name.empty()) return false;
  if (!std::isalpha(static_cast<unsigned char>(name.front())) && name.front() != '_') {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// Resolves the inside of one ${...}.
core::Result<std::string> resolve(std::string_view inner, const EnvLookup& env) {
  const std::size_t dash = inner.find(":-");
  const std::string_view name = inner.substr(0, dash);
  if (!is_name(name)) {
    return core::invalid_argument("'${" + std::string(inner) +
                                  "}' is not a valid reference; write ${NAME} or "
                                  "${NAME:-default}");
  }
  std::optional<std::string> value = env ? env(std::string(name)) : std::nullopt;
  if (dash != std::string_view::npos) {
    if (value && !value->empty()) return *value;
    return std::string(inner.substr(dash + 2));
  }
  if (!value) {
    return core::invalid_argument("environment variable " + std::string(name) +
                                  " is not set (set it, or write ${" + std::string(name) +
                                  ":-default} to give a default)");
  }
  return *value;
}

std::string join_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

void walk(RawValue& value, const std::string& path, const EnvLookup& env,
          Diagnostics& diagnostics) {
  if (value.is_scalar()) {
    core::Result<std::string> expanded = substitute(value.text(), env);
    if (expanded) {
      value.set_text(std::move(expanded).value());
    } else {
      diagnostics.error(value.origin(), path, expanded.status().message());
      value.mark_invalid();
    }
  } else if (value.is_sequence()) {
    for (std::size_t i = 0; i < value.items().size(); ++i) {
      walk(value.items()[i], path + "[" + std::to_string(i) + "]", env, diagnostics);
    }
  } else if (value.is_map()) {
    for (RawValue::Entry& entry : value.entries()) {
      walk(entry.value, join_path(path, entry.key), env, diagnostics);
    }
  }
}

}  // namespace

core::Result<std::string> substitute(std::string_view text, const EnvLookup& env) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text.compare(pos, 3, "$${") == 0) {
      out += "${";
      pos += 3;
      continue;
    }
    if (text.compare(pos, 2, "${") != 0) {
      out += text[pos++];
      continue;
    }
    const std::size_t close = text.find('}', pos + 2);
    if (close == std::string_view::npos) {
      return core::invalid_argument("unterminated '${' in '" + std::string(text) + "'");
    }
    core::Result<std::string> value = resolve(text.substr(pos + 2, close - pos - 2), env);
    if (!value) return value.status();
    out += value.value();
    pos = close + 1;
  }
  return out;
}

void substitute_tree(RawValue& root, const EnvLookup& env, Diagnostics& diagnostics) {
  walk(root, "", env, diagnostics);
}

std::string escape_substitution(std::string_view text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text.compare(pos, 2, "${") == 0) out += '$';
    out += text[pos];
  }
  return out;
}

}  // namespace autoglm::config
