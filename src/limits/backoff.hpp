// Delay before a retry: exponential with full jitter (AWS Architecture Blog's "full
// jitter"): uniform in [0, min(cap, base * 2^(retry-1))]. The random generator is
// injected and seeded by the caller, so tests and the simulator are deterministic.
// Threading: pure; the caller owns the generator.
#pragma once

#include <random>

#include "core/clock.hpp"

namespace autoglm::limits {

struct BackoffOptions {
  core::Duration base = std::chrono::milliseconds(25);
  core::Duration cap = std::chrono::seconds(1);
};

// REQUIRES: retry >= 1 (the first retry waits up to `base`).
core::Duration backoff_delay(int retry, const BackoffOptions& options, std::mt19937_64& rng);

}  // namespace autoglm::limits
