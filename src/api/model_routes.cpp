#include "api/model_routes.hpp"

#include <random>

namespace autoglm::api {

core::Result<std::shared_ptr<const routing::RouteTable>> build_route_table(
    const std::vector<config::RouteConfig>& routes) {
  std::vector<routing::ModelRoute> out;
  for (const config::RouteConfig& route : routes) {
    routing::ModelRoute model_route{route.model, {}, route.sticky_header};
    for (const config::RouteSubsetConfig& subset : route.subsets) {
      model_route.subsets.push_back(
          routing::Subset{subset.name, subset.weight, subset.nodes, subset.labels});
    }
    out.push_back(std::move(model_route));
  }
  return routing::RouteTable::build(std::move(out));
}

ModelRoutes::ModelRoutes(std::shared_ptr<const routing::RouteTable> table)
    : router_(std::move(table)) {}

std::optional<RouteChoice> ModelRoutes::choose(
    std::string_view model, const std::function<std::string_view(std::string_view)>& header,
    const dispatch::NodeSet& nodes) const {
  // One generator per I/O thread: weighted draws need no lock and no shared state.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto table = router_.table();
  const routing::ModelRoute* route = table->find(model);
  if (route == nullptr) return std::nullopt;
  const std::string_view session =
      route->sticky_header.empty() ? std::string_view() : header(route->sticky_header);
  auto selection = router_.resolve(model, session, rng);
  if (!selection) return std::nullopt;
  RouteChoice choice{selection->subset->name, {}};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const dispatch::NodeState& node = nodes.at(i);
    if (!node.removed && selection->allows(node.spec.id, node.spec.labels)) {
      choice.nodes.push_back(static_cast<std::uint32_t>(i));
    }
  }
  return choice;
}

}  // namespace autoglm::api
