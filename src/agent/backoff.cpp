#include "agent/backoff.hpp"

#include <algorithm>

namespace autoglm::agent {

Backoff::Backoff(core::Duration base, core::Duration max, std::uint64_t seed)
    : base_(base), max_(std::max(base, max)), rng_(seed) {}

core::Duration Backoff::next() {
  core::Duration ceiling = base_;
  for (int i = 0; i < attempt_ && ceiling < max_; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, max_);
  if (attempt_ < 62) ++attempt_;
  std::uniform_int_distribution<core::Duration::rep> jitter(ceiling.count() / 2, ceiling.count());
  return core::Duration{jitter(rng_)};
}

}  // namespace autoglm::agent
