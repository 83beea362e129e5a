// Exponential backoff with jitter for an agent that cannot reach its scheduler: the n-th
// delay is drawn uniformly from [d/2, d] with d = min(max, base * 2^n), so a fleet of
// agents does not retry in step. Seeded, so tests are deterministic. Not thread-safe.
#pragma once

#include <cstdint>
#include <random>

#include "core/clock.hpp"

namespace autoglm::agent {

class Backoff {
 public:
  Backoff(core::Duration base, core::Duration max, std::uint64_t seed);

  core::Duration next();
  void reset() { attempt_ = 0; }
  int attempt() const { return attempt_; }

 private:
  core::Duration base_;
  core::Duration max_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace autoglm::agent
