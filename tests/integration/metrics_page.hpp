// Test support: reads numbers off a Prometheus text page (format 0.0.4) as the gateway and
// the simnode write them, without a full parser.
#pragma once

#include <optional>
#include <string>

namespace autoglm::testing {

// The sum of the samples of `name` whose label text contains `labels` (e.g. `le="4"`, or
// "" for all); nullopt when there is none.
inline std::optional<double> metric_sum(const std::string& page, const std::string& name,
                                        const std::string& labels = "") {
  std::optional<double> sum;
  for (std::size_t at = page.find(name); at != std::string::npos; at = page.find(name, at + 1)) {
    if (at != 0 && page[at - 1] != '\n') continue;  // inside a comment or another name
    const std::string line = page.substr(at, page.find('\n', at) - at);
    const char after = line.size() > name.size() ? line[name.size()] : '\0';
    if (after != '{' && after != ' ') continue;  // a longer name with this prefix
    if (!labels.empty() && line.find(labels) == std::string::npos) continue;
    sum = sum.value_or(0) + std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

}  // namespace autoglm::testing
