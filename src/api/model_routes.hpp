// Canary and weighted routes in the live gateway: picks a model route's subset for one
// request (sticky by a session header, else weighted random) and turns it into the node
// indices the scheduler may use (TaskSpec::allowed_nodes).
// Threading: thread-safe. The route table is swapped atomically on reload (routing::Router);
// each thread draws from its own generator.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/hardening_config.hpp"
#include "dispatch/node_set.hpp"
#include "core/status.hpp"
#include "routing/router.hpp"

namespace autoglm::api {

// Builds and validates a route table from `routes` (messages name routes.<model>).
core::Result<std::shared_ptr<const routing::RouteTable>> build_route_table(
    const std::vector<config::RouteConfig>& routes);

struct RouteChoice {
  std::string subset;                  // its name, for the x-autoglm-route header
  std::vector<std::uint32_t> nodes;    // ascending node indices; may be empty (none matches)
};

class ModelRoutes {
 public:
  explicit ModelRoutes(std::shared_ptr<const routing::RouteTable> table);

  void replace(std::shared_ptr<const routing::RouteTable> table) { router_.replace(std::move(table)); }

  // nullopt when `model` has no route (every node serving it may take the request).
  // `header(name)` gives a request header's value ("" when absent), for stickiness.
  // Removed nodes are left out.
  std::optional<RouteChoice> choose(
      std::string_view model, const std::function<std::string_view(std::string_view)>& header,
      const dispatch::NodeSet& nodes) const;

 private:
  routing::Router router_;
};

}  // namespace autoglm::api
