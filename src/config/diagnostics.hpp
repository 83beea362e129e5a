// Diagnostics: collects every configuration error so a user sees them all at once.
// Each line reads "FILE:LINE: key.path: message".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/raw_value.hpp"
#include "core/status.hpp"

namespace autoglm::config {

// Not thread-safe; one loader call owns one instance.
class Diagnostics {
 public:
  // `path` may be empty for errors that belong to no key.
  void error(const Origin& origin, std::string_view path, std::string_view message);
  // A line that is already formatted (e.g. a parse error from parse_yaml).
  void add_line(std::string line);

  bool empty() const { return lines_.empty(); }
  const std::vector<std::string>& lines() const { return lines_; }
  // OK when empty; otherwise kInvalidArgument with all lines joined by '\n'.
  core::Status status() const;

 private:
  std::vector<std::string> lines_;
};

}  // namespace autoglm::config
