#include "config/diagnostics.hpp"

namespace autoglm::config {

void Diagnostics::error(const Origin& origin, std::string_view path, std::string_view message) {
  std::string line = origin.where();
  line += ": ";
  if (!path.empty()) {
    line += path;
    line += ": ";
  }
  line += message;
  lines_.push_back(std::move(line));
}

void Diagnostics::add_line(std::string line) { lines_.push_back(std::move(line)); }

core::Status Diagnostics::status() const {
  if (lines_.empty()) return core::Status::ok();
  std::string joined;
  for (const std::string& line : lines_) {
    if (!joined.empty()) joined += '\n';
    joined += line;
  }
  return core::invalid_argument(std::move(joined));
}

}  // namespace autoglm::config
