#include "sim/distributions.hpp"

#include <algorithm>
#include <cmath>

namespace autoglm::sim {

Rng make_rng(std::uint64_t seed, std::uint64_t stream) {
  // splitmix64 of (seed, stream): well-separated seeds for mt19937_64.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return Rng(z ^ (z >> 31));
}

double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double standard_normal(Rng& rng) {
  // Box-Muller; one of the pair is dropped to keep the generator stateless.
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double exponential(Rng& rng, double mean) { return -mean * std::log(1.0 - uniform01(rng)); }

double gamma(Rng& rng, double shape, double scale) {
  if (shape < 1.0) {
    // Gamma(k) = Gamma(k + 1) * U^(1/k).
    const double u = 1.0 - uniform01(rng);
    return gamma(rng, shape + 1.0, scale) * std::pow(u, 1.0 / shape);
  }
  // Marsaglia and Tsang (2000).
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    double x = 0, v = 0;
    do {
      x = standard_normal(rng);
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = 1.0 - uniform01(rng);
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v * scale;
  }
}

double ArrivalProcess::next_gap_s(Rng& rng) const {
  if (kind == Kind::kPoisson || cv == 1.0) return exponential(rng, 1.0 / rate);
  // Gaps with mean 1/rate and CV cv: shape 1/cv^2, scale cv^2/rate.
  const double shape = 1.0 / (cv * cv);
  return gamma(rng, shape, 1.0 / (rate * shape));
}

std::int64_t LengthDistribution::sample(Rng& rng) const {
  double x = value;
  switch (kind) {
    case Kind::kFixed:
      break;
    case Kind::kUniform:
      x = low + uniform01(rng) * (high - low + 1.0);  // integers low..high equally likely
      x = std::floor(x);
      break;
    case Kind::kLognormal: {
      const double mu = std::log(mean) - 0.5 * sigma * sigma;
      x = std::exp(mu + sigma * standard_normal(rng));
      break;
    }
  }
  auto n = static_cast<std::int64_t>(std::llround(x));
  n = std::max(n, min);
  if (max > 0) n = std::min(n, max);
  return n;
}

}  // namespace autoglm::sim
