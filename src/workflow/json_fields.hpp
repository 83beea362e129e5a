// Typed field readers over Boost.JSON objects for workflow specs, each failure a Status
// naming the field. Internal to src/workflow; pure functions.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::workflow::json_fields {

std::string join(std::string_view prefix, std::string_view field);

// Each returns the field's value, `fallback` when absent, or an error naming prefix.field.
core::Result<std::string> get_string(const boost::json::object& o, std::string_view field,
                                     std::string_view prefix, std::string fallback = {});
core::Result<std::int64_t> get_int(const boost::json::object& o, std::string_view field,
                                   std::string_view prefix, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max);
// A priority: a level 0-9 or a class name (critical, standard, batch, sheddable).
core::Result<int> get_priority(const boost::json::object& o, std::string_view field,
                               std::string_view prefix, int fallback);

// Calls fn on every string in v, depth first (object values, array items, v itself).
void walk_strings(boost::json::value& v, const std::function<void(boost::json::string&)>& fn);

// The parsed text of a JSON document or a kInvalidArgument naming what is wrong.
core::Result<boost::json::value> parse_json(std::string_view text, std::string_view what);

// A YAML document converted to JSON: mappings to objects, sequences to arrays, plain
// scalars to null/bool/int/double where they read as such, quoted scalars to strings.
core::Result<boost::json::value> yaml_to_json(std::string_view text, std::string_view what);

}  // namespace autoglm::workflow::json_fields
