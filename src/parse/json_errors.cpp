#include "parse/json_errors.hpp"

#include <boost/json.hpp>

#include "parse/request_fields.hpp"

namespace autoglm::parse {
namespace json = boost::json;

std::string_view json_type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

std::string describe_json(const json::value& v) {
  if (const json::string* s = v.if_string()) {
    return "'" + quote_for_error(std::string_view(s->data(), s->size())) + "'";
  }
  if (v.is_array() || v.is_object()) return std::string(json_type_name(v));
  return quote_for_error(json::serialize(v));
}

core::Status field_error(std::string_view path, std::string_view field, std::string_view what) {
  std::string name(path);
  name += field;
  std::string message = "'" + name + "' ";
  message += what;
  return core::invalid_argument(std::move(message), std::move(name));
}

}  // namespace autoglm::parse
