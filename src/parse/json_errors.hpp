// How parse/ words errors about JSON fields: "'messages[2].content' must be ..., got ...",
// with the field as the Status param. Internal to parse/.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::parse {

// "a string", "an array", ...: what a JSON value is.
std::string_view json_type_name(const boost::json::value& v);

// The value itself for scalars ('urgent', -5, true, null), its type for arrays and
// objects; shortened and made printable.
std::string describe_json(const boost::json::value& v);

// kInvalidArgument "'<path><field>' <what>", param "<path><field>".
core::Status field_error(std::string_view path, std::string_view field, std::string_view what);

}  // namespace autoglm::parse
