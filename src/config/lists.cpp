#include "config/lists.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace autoglm::config {

void require_keys(const Field& item, std::initializer_list<std::string_view> keys) {
  if (!item.value().is_map()) return;
  for (std::string_view key : keys) {
    const RawValue* value = item.value().find(key);
    if (value == nullptr || value->is_null()) {
      item.error("missing required key '" + std::string(key) + "'");
    }
  }
}

void read_labels(const Field& field, std::map<std::string, std::string>& out) {
  field.for_each_any_entry([&](std::string_view key, const Field& value) {
    std::string text;
    if (value.read_string(text)) out[std::string(key)] = text;
  });
}

void read_string_list(const Field& field, std::vector<std::string>& out) {
  std::vector<std::string> items;
  field.for_each_item([&](const Field& item) {
    std::string text;
    if (item.is_null()) item.error("must not be empty");
    if (item.read_nonempty_string(text)) items.push_back(text);
  });
  if (!field.is_null()) out = std::move(items);
}

void read_route_upstream(const Field& field, std::map<std::string, RouteUpstream>& out) {
  static const std::vector<std::string> kRoutes{"/v1/chat/completions", "/v1/completions",
                                                "/v1/embeddings"};
  static const std::vector<std::string> kKeys{"connect-timeout",   "first-byte-timeout",
                                              "response-timeout",  "idle-timeout",
                                              "resume-on-failure", "max-resumes"};
  std::map<std::string, RouteUpstream> routes;
  field.for_each_entry(kRoutes, [&](std::string_view route, const Field& settings) {
    RouteUpstream& t = routes[std::string(route)];
    settings.for_each_entry(kKeys, [&](std::string_view key, const Field& value) {
      if (key == "resume-on-failure" || key == "max-resumes") {
        if (route == "/v1/embeddings") {
          value.error("only the streamed completion routes can resume on another node");
        } else if (key == "resume-on-failure") {
          value.read_bool(t.resume_on_failure);
        } else {
          value.read_int(t.max_resumes, 1, 5);
        }
        return;
      }
      std::optional<Millis>& target = key == "connect-timeout"      ? t.connect_timeout
                                      : key == "first-byte-timeout" ? t.first_byte_timeout
                                      : key == "response-timeout"   ? t.response_timeout
                                                                    : t.idle_timeout;
      Millis ms{0};
      if (value.read_duration(ms, Millis(1), std::chrono::hours(24))) target = ms;
    });
  });
  if (!field.is_null()) out = std::move(routes);
}

namespace {

bool read_node_url(const Field& field, std::string& out) {
  std::string url;
  if (!field.read_nonempty_string(url)) return false;
  constexpr std::string_view kScheme = "http://";
  const bool has_space = std::any_of(
      url.begin(), url.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  if (url.rfind(kScheme, 0) != 0 || url.size() == kScheme.size() || url[kScheme.size()] == '/' ||
      has_space) {
    field.error("expected an http:// URL such as http://10.0.0.5:8000, got '" + url + "'");
    return false;
  }
  while (url.back() == '/') url.pop_back();
  out = url;
  return true;
}

void read_models(const Field& field, std::vector<std::string>& out) {
  read_string_list(field, out);
  if (field.value().is_sequence() && field.value().items().empty()) {
    field.error("must list at least one model");
  }
}

core::NodeSpec read_node(const Field& item) {
  core::NodeSpec node;
  require_keys(item, {"id", "url", "models"});
  static const std::vector<std::string> kKeys{"id", "url", "models", "labels", "capacity"};
  item.for_each_entry(kKeys, [&](std::string_view key, const Field& value) {
    if (key == "id") value.read_nonempty_string(node.id);
    if (key == "url") read_node_url(value, node.url);
    if (key == "models") read_models(value, node.models);
    if (key == "labels") read_labels(value, node.labels);
    if (key == "capacity") value.read_int(node.capacity, 0, 1'000'000);
  });
  return node;
}

}  // namespace

void read_nodes(const Field& field, std::vector<core::NodeSpec>& out) {
  if (field.is_null()) return;
  std::vector<core::NodeSpec> nodes;
  std::map<std::string, std::string> first_seen;  // id -> where
  field.for_each_item([&](const Field& item) {
    if (item.is_null()) return item.error("expected a map with id, url and models, got nothing");
    core::NodeSpec node = read_node(item);
    if (!node.id.empty()) {
      auto [it, inserted] = first_seen.emplace(node.id, item.value().origin().where());
      if (!inserted) {
        item.error("duplicate node id '" + node.id + "' (first defined at " + it->second + ")");
      }
    }
    nodes.push_back(std::move(node));
  });
  out = std::move(nodes);
}

void read_groups(const Field& field, std::vector<SimulatedGroup>& out) {
  if (field.is_null()) return;
  std::vector<SimulatedGroup> groups;
  static const std::vector<std::string> kKeys{"profile", "count"};
  field.for_each_item([&](const Field& item) {
    if (item.is_null()) return item.error("expected a map with profile and count, got nothing");
    SimulatedGroup group;
    require_keys(item, {"profile"});
    item.for_each_entry(kKeys, [&](std::string_view key, const Field& value) {
      if (key == "profile") value.read_nonempty_string(group.profile);
      if (key == "count") value.read_int(group.count, 1, 1024);
    });
    groups.push_back(std::move(group));
  });
  out = std::move(groups);
}

}  // namespace autoglm::config
