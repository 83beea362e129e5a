// Two doubles at a time, through GCC's vector extensions: plain SSE2, so the binary stays
// portable x86-64. For the few loops over candidates' scores that the compiler does not
// vectorise by itself (reductions such as a maximum, where it must keep the order).
#pragma once

#include <cstring>

namespace autoglm::policy {

using DoublePair = double __attribute__((vector_size(16)));

inline DoublePair load_pair(const double* p) {
  DoublePair v;
  std::memcpy(&v, p, sizeof v);  // unaligned load
  return v;
}

inline void store_pair(double* p, DoublePair v) { std::memcpy(p, &v, sizeof v); }

inline DoublePair splat(double x) { return DoublePair{x, x}; }

// Element-wise, with std::max's and std::min's choice on equal values (the first).
inline DoublePair max_pair(DoublePair a, DoublePair b) { return a < b ? b : a; }
inline DoublePair min_pair(DoublePair a, DoublePair b) { return b < a ? b : a; }

}  // namespace autoglm::policy
