#include "workflow/json_fields.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>

#include "core/task.hpp"

namespace autoglm::workflow::json_fields {

namespace json = boost::json;

std::string join(std::string_view prefix, std::string_view field) {
  if (prefix.empty()) return std::string(field);
  return std::string(prefix) + "." + std::string(field);
}

core::Result<std::string> get_string(const json::object& o, std::string_view field,
                                     std::string_view prefix, std::string fallback) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_string()) {
    return core::invalid_argument(join(prefix, field) + " must be a string", join(prefix, field));
  }
  return std::string(v->get_string());
}

core::Result<std::int64_t> get_int(const json::object& o, std::string_view field,
                                   std::string_view prefix, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return fallback;
  std::optional<std::int64_t> n;
  if (v->is_int64()) n = v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(max)) {
    n = static_cast<std::int64_t>(v->get_uint64());
  }
  // A double converts only when whole and inside int64's range: casting 3e92 is undefined.
  if (v->is_double()) {
    const double d = v->get_double();
    if (d >= -9.2e18 && d <= 9.2e18 && std::trunc(d) == d) n = static_cast<std::int64_t>(d);
  }
  const std::string name = join(prefix, field);
  if (!n || *n < min || *n > max) {
    return core::invalid_argument(
        name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
        name);
  }
  return *n;
}

core::Result<int> get_priority(const json::object& o, std::string_view field,
                               std::string_view prefix, int fallback) {
  const auto* v = o.if_contains(field);
  if (v != nullptr && v->is_string()) {
    auto c = core::priority_class_from_name(v->get_string());
    if (!c) {
      return core::invalid_argument(join(prefix, field) +
                                        " must be critical, standard, batch, "
                                        "sheddable or a level 0-9",
                                    join(prefix, field));
    }
    return core::default_level(*c);
  }
  auto n = get_int(o, field, prefix, fallback, 0, 9);
  if (!n) return n.status();
  return static_cast<int>(*n);
}

core::Result<json::value> parse_json(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    return core::invalid_argument(std::string(what) + " is not valid JSON: " + ec.message());
  }
  return v;
}

namespace {

json::value scalar_to_json(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return json::value(s);  // quoted: always a string
  if (s.empty() || s == "~" || s == "null") return nullptr;
  if (s == "true") return true;
  if (s == "false") return false;
  std::int64_t i = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec == std::errc() && p == s.data() + s.size()) return i;
  double d = 0;
  auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec2 == std::errc() && p2 == s.data() + s.size()) return d;
  return json::value(s);
}

// YAML aliases share nodes, so a small document can name a huge or cyclic tree
// (`&a [*a]`, or "billion laughs" chains). Conversion is bounded in depth, like our JSON
// parsing, and in the number of values it may produce, scaled to the text's size.
constexpr int kMaxYamlDepth = 64;

struct YamlBudget {
  std::size_t values_left;
};

struct YamlTooLarge {
  const char* why;
};

json::value node_to_json(const YAML::Node& n, int depth, YamlBudget& budget) {
  if (depth > kMaxYamlDepth) throw YamlTooLarge{"it nests deeper than 64 levels"};
  if (budget.values_left == 0) throw YamlTooLarge{"its aliases expand to too many values"};
  --budget.values_left;
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json::object o;
      for (const auto& kv : n) {
        o[kv.first.as<std::string>()] = node_to_json(kv.second, depth + 1, budget);
      }
      return o;
    }
    case YAML::NodeType::Sequence: {
      json::array a;
      for (const auto& item : n) a.push_back(node_to_json(item, depth + 1, budget));
      return a;
    }
    case YAML::NodeType::Scalar:
      return scalar_to_json(n);
    default:
      return nullptr;
  }
}

}  // namespace

core::Result<json::value> yaml_to_json(std::string_view text, std::string_view what) {
  // A document without aliases yields at most one value per two bytes or so.
  YamlBudget budget{1024 + 4 * text.size()};
  try {
    return node_to_json(YAML::Load(std::string(text)), 0, budget);
  } catch (const YAML::Exception& e) {
    return core::invalid_argument(std::string(what) + " is not valid YAML: " + e.what());
  } catch (const YamlTooLarge& e) {
    return core::invalid_argument(std::string(what) + " is refused: " + e.why);
  }
}

void walk_strings(boost::json::value& v, const std::function<void(boost::json::string&)>& fn) {
  if (v.is_string())
    fn(v.get_string());
  else if (v.is_array())
    for (auto& x : v.get_array()) walk_strings(x, fn);
  else if (v.is_object())
    for (auto& kv : v.get_object()) walk_strings(kv.value(), fn);
}

}  // namespace autoglm::workflow::json_fields
