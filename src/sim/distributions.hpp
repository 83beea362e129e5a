// Seeded random draws for synthetic workloads: arrival processes (Poisson, Gamma with a
// chosen coefficient of variation) and token-length distributions (fixed, uniform,
// lognormal by mean). The samplers are written out here rather than taken from <random>'s
// distributions, whose output differs between standard libraries: a seed gives the same
// workload everywhere.
#pragma once

#include <cstdint>
#include <random>

namespace autoglm::sim {

using Rng = std::mt19937_64;

// An independent generator for stream `stream` of `seed` (so that, e.g., changing the
// priority mix does not reshuffle arrival times).
Rng make_rng(std::uint64_t seed, std::uint64_t stream);

double uniform01(Rng& rng);           // [0, 1)
double standard_normal(Rng& rng);
double exponential(Rng& rng, double mean);
double gamma(Rng& rng, double shape, double scale);

struct ArrivalProcess {
  enum class Kind { kPoisson, kGamma };
  Kind kind = Kind::kPoisson;
  double rate = 1;  // requests per second, > 0
  double cv = 1;    // Gamma: coefficient of variation of the gaps (> 0); Poisson has 1
  // Seconds to the next arrival.
  double next_gap_s(Rng& rng) const;
};

struct LengthDistribution {
  enum class Kind { kFixed, kUniform, kLognormal };
  Kind kind = Kind::kFixed;
  double value = 1;   // fixed
  double low = 1;     // uniform: [low, high]
  double high = 1;
  double mean = 1;    // lognormal: the distribution's mean (not the log's) ...
  double sigma = 1;   // ... and the standard deviation of the log
  // Draws are rounded and clamped to [min, max] (max 0: no upper bound).
  std::int64_t min = 1;
  std::int64_t max = 0;
  std::int64_t sample(Rng& rng) const;
};

}  // namespace autoglm::sim
