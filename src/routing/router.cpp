#include "routing/router.hpp"

namespace autoglm::routing {

std::uint64_t session_hash(std::string_view session) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : session) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // FNV's low bits mix poorly for short keys: finish with a 64-bit avalanche (splitmix).
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

Router::Router(std::shared_ptr<const RouteTable> table) : table_(std::move(table)) {}

void Router::replace(std::shared_ptr<const RouteTable> table) {
  table_.store(table ? std::move(table) : RouteTable::empty(), std::memory_order_release);
}

std::shared_ptr<const RouteTable> Router::table() const {
  return table_.load(std::memory_order_acquire);
}

std::optional<RouteSelection> Router::resolve(std::string_view model, std::string_view session,
                                              std::mt19937_64& rng) const {
  std::shared_ptr<const RouteTable> snapshot = table();
  const ModelRoute* route = snapshot->find(model);
  if (!route) return std::nullopt;
  const std::uint64_t total = RouteTable::total_weight(*route);
  const bool sticky = !route->sticky_header.empty() && !session.empty();
  const std::uint64_t draw = (sticky ? session_hash(session) : rng()) % total;
  const Subset* subset = &RouteTable::subset_at(*route, draw);
  return RouteSelection{std::move(snapshot), subset, sticky};
}

}  // namespace autoglm::routing
