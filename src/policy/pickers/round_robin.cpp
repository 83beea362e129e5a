#include "policy/pickers/round_robin.hpp"

namespace autoglm::policy {

std::size_t RoundRobinPicker::pick(std::span<const Candidate> scored, Rng& /*rng*/) {
  std::size_t next = scored.size();  // smallest node index above last_
  std::size_t first = 0;             // smallest node index overall (the wrap-around)
  for (std::size_t i = 0; i < scored.size(); ++i) {
    const NodeIndex n = scored[i].node;
    if (n < scored[first].node) first = i;
    if (started_ && n > last_ && (next == scored.size() || n < scored[next].node)) next = i;
  }
  const std::size_t chosen = next == scored.size() ? first : next;
  started_ = true;
  last_ = scored[chosen].node;
  return chosen;
}

}  // namespace autoglm::policy
