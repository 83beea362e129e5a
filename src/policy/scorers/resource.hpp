// Scorer `resource`: the seed's host resource formula, higher is better:
//   score = 0.4 * (1 - cpu_util) + 0.4 * (1 - mem_util) + 0.2 * (1 - net_util)
// Each utilisation is clamped to [0, 1]; one that is not reported counts as 0.5 (neutral).
// Reads NodeMetrics::cpu_util, mem_util, net_util.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class ResourceScorer final : public Scorer {
 public:
  std::string_view name() const override { return "resource"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
};

}  // namespace autoglm::policy
