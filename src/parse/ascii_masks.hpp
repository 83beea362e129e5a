// Bit masks over ASCII text, so the token estimator finds words, spaces and symbols many
// bytes at a time instead of one by one: SSE2 where the target has it (every x86-64), a
// plain loop elsewhere. Internal to parse/.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace autoglm::parse::detail {

// Bit i of each mask describes byte i of a 64-byte window of the text.
struct WindowMasks {
  std::uint64_t letter = 0;  // A-Z a-z
  std::uint64_t upper = 0;   // A-Z
  std::uint64_t digit = 0;   // 0-9
  std::uint64_t space = 0;   // ' '
  std::uint64_t white = 0;   // ' ' \t \n \v \f \r
  std::uint64_t high = 0;    // >= 0x80: not ASCII
  // ASCII punctuation, symbols and control characters.
  std::uint64_t punct() const { return ~(letter | digit | white | high); }
};

// REQUIRES: 64 readable bytes at p.
inline WindowMasks window_masks(const unsigned char* p) {
  WindowMasks m;
#if defined(__SSE2__)
  const auto in_range = [](__m128i v, char lo, char hi) {  // signed: bytes >= 0x80 are out
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  const auto bits = [](__m128i v) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v)));
  };
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const int shift = 16 * k;
    m.letter |= bits(in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z')) << shift;
    m.upper |= bits(in_range(v, 'A', 'Z')) << shift;
    m.digit |= bits(in_range(v, '0', '9')) << shift;
    const __m128i space = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
    m.space |= bits(space) << shift;
    m.white |= bits(_mm_or_si128(space, in_range(v, '\t', '\r'))) << shift;
    m.high |= bits(v) << shift;
  }
#else
  for (int i = 0; i < 64; ++i) {
    const unsigned char b = p[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (static_cast<unsigned>((b | 0x20) - 'a') < 26u) m.letter |= bit;
    if (static_cast<unsigned>(b - 'A') < 26u) m.upper |= bit;
    if (static_cast<unsigned>(b - '0') < 10u) m.digit |= bit;
    if (b == ' ') m.space |= bit;
    if (b == ' ' || (b >= '\t' && b <= '\r')) m.white |= bit;
    if (b >= 0x80) m.high |= bit;
  }
#endif
  return m;
}

// Plain prose is words separated by single spaces, with lone symbols before a space
// ("word, word. Word"). A stretch of it is priced all at once from these masks.
struct ProseMasks {
  std::uint64_t bad = 0;         // bytes a prose stretch cannot contain
  std::uint64_t boundary = 0;    // spaces before a letter: where a stretch may end
  std::uint64_t word_start = 0;  // letters after a non-letter
  std::uint64_t past_6 = 0;      // letters with at least 6 letters right before them
  std::uint64_t past_12 = 0;     // ... 12
};

inline ProseMasks prose_masks(const WindowMasks& m, std::uint64_t punct, std::uint64_t humps) {
  const std::uint64_t before_letter = m.letter >> 1;  // bit p: byte p + 1 is a letter
  const std::uint64_t lone_symbol = punct & (m.space >> 1) & (m.letter << 1);
  ProseMasks p;
  p.bad = m.high | m.digit | (m.white & ~m.space) | humps | (punct & ~lone_symbol) |
          (m.space & ~before_letter);
  p.boundary = m.space & before_letter;
  p.word_start = m.letter & ~(m.letter << 1);
  const std::uint64_t past_1 = m.letter & (m.letter << 1);
  const std::uint64_t past_2 = past_1 & (past_1 << 1);
  const std::uint64_t past_4 = past_2 & (past_2 << 2);
  p.past_6 = past_4 & (past_2 << 4);
  p.past_12 = p.past_6 & (p.past_6 << 6);
  return p;
}

// Set bits in `x`: SWAR, since baseline x86-64 has no popcnt instruction.
inline int count_bits(std::uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

// How many bits from bit `at` upward are set before the first clear one; 64 - at if all.
inline int run_length(std::uint64_t mask, int at) {
  const std::uint64_t stops = ~mask >> at;
  return stops == 0 ? 64 - at : std::countr_zero(stops);
}

// The first byte at or after `p` that is not a lower-case ASCII letter. SWAR: eight bytes
// at a time in a 64-bit word (little-endian lanes), no lane carrying into the next.
inline const unsigned char* skip_lowercase(const unsigned char* p, const unsigned char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    const std::uint64_t low7 = w & ~kHigh;
    const std::uint64_t lower =
        (low7 + kOnes * (0x80 - 'a')) & ~(low7 + kOnes * (0x80 - 'z' - 1)) & ~w & kHigh;
    const std::uint64_t outside = ~lower & kHigh;
    if (outside != 0) return p + std::countr_zero(outside) / 8;
    p += 8;
  }
  while (p < end && static_cast<unsigned>(*p - 'a') < 26u) ++p;
  return p;
}

}  // namespace autoglm::parse::detail
