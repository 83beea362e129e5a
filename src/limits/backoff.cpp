#include "limits/backoff.hpp"

#include <algorithm>

namespace autoglm::limits {

core::Duration backoff_delay(int retry, const BackoffOptions& options, std::mt19937_64& rng) {
  const int shift = std::clamp(retry - 1, 0, 40);  // 2^40 * 1 ns already exceeds any cap
  const auto base = std::max<core::Duration::rep>(options.base.count(), 0);
  const auto cap = std::max<core::Duration::rep>(options.cap.count(), 0);
  const auto ceiling =
      base > (cap >> shift) ? cap : std::min(cap, static_cast<core::Duration::rep>(base << shift));
  if (ceiling <= 0) return core::Duration::zero();
  // Modulo of a 64-bit draw: portable across standard libraries (unlike distributions),
  // and its bias is below 2^-20 for ceilings under 2^44 ns.
  const auto draw = rng() % (static_cast<std::uint64_t>(ceiling) + 1);
  return core::Duration(static_cast<core::Duration::rep>(draw));
}

}  // namespace autoglm::limits
