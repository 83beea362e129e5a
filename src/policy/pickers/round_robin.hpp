// Picker `round_robin`: ignores scores and rotates over nodes: it picks the candidate with
// the smallest node index greater than the last one it picked, wrapping around. Rotating by
// node index (not by position) keeps the rotation fair when the candidate set changes
// between calls, e.g. while a node is unhealthy.
// Owned by one Pipeline, called from the scheduler strand; remembers the last node.
#pragma once

#include "policy/policy.hpp"

namespace autoglm::policy {

class RoundRobinPicker final : public Picker {
 public:
  std::string_view name() const override { return "round_robin"; }
  std::size_t pick(std::span<const Candidate> scored, Rng& rng) override;

 private:
  bool started_ = false;
  NodeIndex last_ = 0;
};

}  // namespace autoglm::policy
