// Shared by the filters: in-place, order-preserving compaction of a candidate list, so a
// filter's batch `apply` is one tight loop with no virtual call or allocation per node.
#pragma once

#include <span>
#include <vector>

#include "core/node_view.hpp"

namespace autoglm::policy {

// Keeps the candidates whose node satisfies `allowed(node)`. REQUIRES: every candidate is a
// valid index into `nodes`. Never allocates (the vector only shrinks).
template <typename Pred>
void keep_if(std::vector<core::NodeIndex>& candidates, std::span<const core::NodeView> nodes,
             Pred allowed) {
  std::size_t kept = 0;
  // Unrolled: the loop's own increment, compare and jump otherwise cost as much as a cheap
  // predicate.
#pragma GCC unroll 4
  for (const core::NodeIndex n : candidates) {
    candidates[kept] = n;
    kept += allowed(nodes[n]) ? 1 : 0;  // branch-free: write always, advance when allowed
  }
  candidates.resize(kept);
}

}  // namespace autoglm::policy
