// Spelling rules of the Prometheus text format 0.0.4 for the metrics library: valid names,
// escaping of help text and label values, and how numbers are written.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace autoglm::metrics {

bool valid_metric_name(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_label_name(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, not "__"-prefixed

std::string escape_help(std::string_view text);         // \ and newline
std::string escape_label_value(std::string_view text);  // \, " and newline

// Shortest exact decimal; "NaN", "+Inf", "-Inf" for the special values.
std::string format_value(double value);

// `{a="1",b="2"}`, or "" for no labels. `names` and `values` have the same length.
void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values,
                   const std::pair<std::string_view, std::string>* extra = nullptr);

}  // namespace autoglm::metrics
