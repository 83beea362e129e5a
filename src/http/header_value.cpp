#include "http/header_value.hpp"

#include <boost/beast/core/string.hpp>

namespace autoglm::http {

std::string_view header_value(const boost::beast::http::fields& fields, std::string_view name) {
  for (const auto& field : fields) {
    const auto field_name = field.name_string();
    if (field_name.size() == name.size() && boost::beast::iequals(field_name, name)) {
      const auto value = field.value();
      return {value.data(), value.size()};
    }
  }
  return {};
}

}  // namespace autoglm::http
