// Canary and weighted routing: a model's traffic split over named subsets of nodes
// (e.g. llama-3-8b -> v1 90%, v2 10%), each subset a list of node ids or a label selector.
// The table is immutable once built; reloads build a new one (see router.hpp).
// Threading: a built RouteTable is read-only and may be shared by any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::routing {

struct Subset {
  std::string name;           // "v1", "canary"
  std::uint32_t weight = 0;   // relative share; 0 takes no new traffic (drained)
  std::vector<std::string> nodes;              // node ids, or
  std::map<std::string, std::string> labels;   // a selector: every label must match

  // A node is in the subset when its id is listed, or when the selector is non-empty and
  // every selector label has the same value on the node.
  bool contains(std::string_view node_id, const std::map<std::string, std::string>& node_labels) const;
};

struct ModelRoute {
  std::string model;
  std::vector<Subset> subsets;
  // Request header whose value pins a session to one subset ("" : no stickiness), e.g.
  // "x-session-id". The header name is compared case-insensitively by the caller.
  std::string sticky_header;
};

class RouteTable {
 public:
  // Checks every route: a non-empty model named once; at least one subset; subset names
  // unique within the route and non-empty; each subset lists nodes or labels (not both
  // empty); weights sum to 1..2^31. Messages name routes.<model>.<field>.
  static core::Result<std::shared_ptr<const RouteTable>> build(std::vector<ModelRoute> routes);
  static std::shared_ptr<const RouteTable> empty();

  const ModelRoute* find(std::string_view model) const;  // nullptr: no split for the model
  std::size_t size() const { return routes_.size(); }

  // The subset a draw in [0, total_weight(route)) falls into, by cumulative weight.
  static const Subset& subset_at(const ModelRoute& route, std::uint64_t draw);
  static std::uint64_t total_weight(const ModelRoute& route);

 private:
  RouteTable() = default;
  std::map<std::string, ModelRoute, std::less<>> routes_;
};

}  // namespace autoglm::routing
