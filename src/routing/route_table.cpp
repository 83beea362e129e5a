#include "routing/route_table.hpp"

#include <set>

namespace autoglm::routing {

bool Subset::contains(std::string_view node_id,
                      const std::map<std::string, std::string>& node_labels) const {
  for (const auto& id : nodes) {
    if (id == node_id) return true;
  }
  if (labels.empty()) return false;
  for (const auto& [k, v] : labels) {
    auto it = node_labels.find(k);
    if (it == node_labels.end() || it->second != v) return false;
  }
  return true;
}

namespace {

core::Status check_route(const ModelRoute& route) {
  const std::string where = "routes." + route.model;
  if (route.subsets.empty()) {
    return core::invalid_argument("a route needs at least one subset", where + ".subsets");
  }
  std::set<std::string> names;
  std::uint64_t total = 0;
  for (const auto& s : route.subsets) {
    if (s.name.empty()) return core::invalid_argument("a subset needs a name", where + ".subsets");
    if (!names.insert(s.name).second) {
      return core::invalid_argument("subset '" + s.name + "' is named twice", where + ".subsets");
    }
    if (s.nodes.empty() && s.labels.empty()) {
      return core::invalid_argument("subset '" + s.name + "' lists no nodes and no labels",
                                    where + ".subsets." + s.name);
    }
    total += s.weight;
  }
  if (total == 0 || total > 0x80000000ull) {
    return core::invalid_argument("the subsets' weights must add up to between 1 and 2^31",
                                  where + ".subsets");
  }
  return core::Status::ok();
}

}  // namespace

core::Result<std::shared_ptr<const RouteTable>> RouteTable::build(std::vector<ModelRoute> routes) {
  auto table = std::shared_ptr<RouteTable>(new RouteTable());
  for (auto& r : routes) {
    if (r.model.empty()) return core::invalid_argument("a route needs a model", "routes.model");
    if (auto s = check_route(r); !s) return s;
    const std::string model = r.model;
    if (!table->routes_.emplace(model, std::move(r)).second) {
      return core::invalid_argument("model '" + model + "' has two routes", "routes." + model);
    }
  }
  return std::shared_ptr<const RouteTable>(std::move(table));
}

std::shared_ptr<const RouteTable> RouteTable::empty() {
  static const std::shared_ptr<const RouteTable> kEmpty(new RouteTable());
  return kEmpty;
}

const ModelRoute* RouteTable::find(std::string_view model) const {
  auto it = routes_.find(model);
  return it == routes_.end() ? nullptr : &it->second;
}

std::uint64_t RouteTable::total_weight(const ModelRoute& route) {
  std::uint64_t total = 0;
  for (const auto& s : route.subsets) total += s.weight;
  return total;
}

const Subset& RouteTable::subset_at(const ModelRoute& route, std::uint64_t draw) {
  for (const auto& s : route.subsets) {
    if (draw < s.weight) return s;
    draw -= s.weight;
  }
  // Only a draw past the total lands here; the last weighted subset takes it.
  for (auto it = route.subsets.rbegin(); it != route.subsets.rend(); ++it) {
    if (it->weight > 0) return *it;
  }
  return route.subsets.back();
}

}  // namespace autoglm::routing
