// Scorer `seed_load`: the seed's GPU load formula, inverted so higher is better:
//   score = 1 - (0.6 * gpu_util + 0.4 * gpu_mem_used / gpu_mem_total)
// A term that is not reported counts as 0.5 (neutral), so a node reporting nothing scores 0.5.
// Reads NodeMetrics::gpu_util, gpu_mem_used, gpu_mem_total.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class SeedLoadScorer final : public Scorer {
 public:
  std::string_view name() const override { return "seed_load"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
};

}  // namespace autoglm::policy
