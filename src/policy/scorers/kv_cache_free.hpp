// Scorer `kv_cache_free`: more free KV cache is better (room to batch without preemption):
//   score = 1 - kv_cache_usage            (0.5 when not reported)
// Reads NodeMetrics::kv_cache_usage.
// Owned by one Pipeline, called from the scheduler strand.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class KvCacheFreeScorer final : public Scorer {
 public:
  std::string_view name() const override { return "kv_cache_free"; }
  void measure(const TaskSpec& task, std::span<const NodeView> nodes,
               std::span<const NodeIndex> slice, std::span<double> out,
               const Context& ctx) override;
};

}  // namespace autoglm::policy
