// Resolves which subset of nodes a request for a model may go to, from the current route
// table: weighted random (injected generator), or sticky when the route names a session
// header and the request carries it (same session, same subset, on every replica).
// Threading: thread-safe. The table is an immutable snapshot behind an atomic shared_ptr:
// replace() (config reload) never blocks resolve(), and a resolution keeps its snapshot.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string_view>

#include "routing/route_table.hpp"

namespace autoglm::routing {

struct RouteSelection {
  std::shared_ptr<const RouteTable> table;  // keeps `subset` alive
  const Subset* subset = nullptr;
  bool sticky = false;  // chosen by the session value, not at random

  // Whether a node may serve this request (for the scheduler's filter).
  bool allows(std::string_view node_id, const std::map<std::string, std::string>& labels) const {
    return subset->contains(node_id, labels);
  }
};

// A stable 64-bit hash (FNV-1a) of a session value: the same on every build and replica.
std::uint64_t session_hash(std::string_view session);

class Router {
 public:
  explicit Router(std::shared_ptr<const RouteTable> table = RouteTable::empty());

  // Swaps in a new table (built and validated by the caller); in-flight resolutions keep
  // the old one.
  void replace(std::shared_ptr<const RouteTable> table);
  std::shared_ptr<const RouteTable> table() const;

  // nullopt when the model has no route (every node serving it is allowed).
  // `session`: the value of the route's sticky header ("" when absent). `rng` is used only
  // for non-sticky choices; the caller owns it (one per thread or under its own lock).
  std::optional<RouteSelection> resolve(std::string_view model, std::string_view session,
                                        std::mt19937_64& rng) const;

 private:
  std::atomic<std::shared_ptr<const RouteTable>> table_;
};

}  // namespace autoglm::routing
