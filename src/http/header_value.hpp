// Reading one header of a message by name.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <string_view>

namespace autoglm::http {

// The value of the first field called `name` (any case), "" when there is none. A scan in
// arrival order: a message has a handful of fields, and for each lookup Beast's own
// operator[] maps the name to a known field and walks a tree comparing case-insensitively.
std::string_view header_value(const boost::beast::http::fields& fields, std::string_view name);

}  // namespace autoglm::http
