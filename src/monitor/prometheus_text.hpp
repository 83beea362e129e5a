// Parsing of the Prometheus text exposition format 0.0.4, as served on a backend's
// /metrics. Pure functions on strings; no I/O. Used by the scraper, the agent and tests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace autoglm::monitor {

// One line of exposition: `name{label="value",...} value [timestamp]`.
struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the order written
  double value = 0;                                         // NaN and +/-Inf are kept as such
  std::optional<std::int64_t> timestamp_ms;

  // The value of label `key`, or nullptr when the sample has no such label.
  const std::string* label(std::string_view key) const;
};

// Everything a page held. Lines that do not parse are skipped and listed in `errors`, so
// one odd line from a backend never hides the rest of its metrics.
struct Exposition {
  std::vector<Sample> samples;
  std::map<std::string, std::string, std::less<>> types;  // family name -> counter, gauge...
  std::map<std::string, std::string, std::less<>> help;   // family name -> unescaped help
  std::vector<std::string> errors;                        // "line N: why"

  // The samples whose name is exactly `name` (histogram parts have their own names).
  std::vector<const Sample*> find(std::string_view name) const;
  bool has(std::string_view name) const;
};

Exposition parse_prometheus_text(std::string_view text);

// A metric value as the format spells it: decimal, "NaN", "+Inf", "-Inf" (also "Inf").
std::optional<double> parse_sample_value(std::string_view text);

}  // namespace autoglm::monitor
