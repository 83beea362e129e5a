// The token estimator's price list: what each kind of pre-token costs, in centitokens.
// These constants are the calibration (docs/parsing.md); the scanning is in
// token_estimator.cpp. Internal to parse/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

#include "parse/code_points.hpp"

namespace autoglm::parse::detail {

// Costs are kept in centitokens (1/100 token) and rounded once at the end, so the
// fractional prices below add up without drift. Every constant was fitted against the
// cl100k_base counts in tests/parse/fixtures/token_counts.json (see docs/parsing.md).
inline constexpr std::int64_t kToken = 100;

// Price of one non-ASCII letter inside a word, by Script.
inline constexpr std::int64_t kLetterCost[] = {
    kToken,  // kNone
    kToken,  // kAsciiLower (priced per piece instead)
    kToken,  // kAsciiUpper (priced per piece instead)
    kToken,  // kLatin (priced per piece instead)
    50,      // kCyrillic
    110,     // kHan
    105,     // kKana
    125,     // kHangul
    200,     // kFullwidth
    200,     // kRare
    80,      // kNarrow
    100,     // kWide
    kToken,  // kSymbol2..4 are not letters
    kToken, kToken,
};
static_assert(std::size(kLetterCost) == static_cast<std::size_t>(Script::kSymbol4) + 1);

inline std::int64_t letter_cost(Script s) { return kLetterCost[static_cast<std::size_t>(s)]; }

// Price of a piece of ASCII letters (a word, or one camelCase part of it). Common short
// words are one token; longer ones split, and they split sooner without a leading space,
// since cl100k's vocabulary favours " word" over "word".
constexpr std::int64_t piece_cost_formula(std::int64_t letters, bool after_space) {
  if (letters <= 0) return 0;
  if (after_space) {
    return kToken + 7 * (letters > 6 ? letters - 6 : 0) + 5 * (letters > 12 ? letters - 12 : 0);
  }
  return kToken + 5 * (letters > 3 ? letters - 3 : 0) + 15 * (letters > 6 ? letters - 6 : 0);
}

struct PieceCosts {
  std::int64_t cost[2][64];  // [after_space][letters]
};

constexpr PieceCosts make_piece_costs() {
  PieceCosts t{};
  for (int n = 0; n < 64; ++n) {
    t.cost[0][n] = piece_cost_formula(n, false);
    t.cost[1][n] = piece_cost_formula(n, true);
  }
  return t;
}

inline constexpr PieceCosts kPieceCosts = make_piece_costs();

inline std::int64_t ascii_piece_cost(std::int64_t letters, bool after_space) {
  return letters < 64 ? kPieceCosts.cost[after_space ? 1 : 0][letters]
                      : piece_cost_formula(letters, after_space);
}

// Whitespace before a word or symbol: all but the last space, which joins it.
inline std::int64_t space_run_cost(std::int64_t spaces) {
  return spaces <= 0 ? 0 : kToken * (1 + (spaces - 1) / 64);
}

// A group of line breaks (with the spaces between them) is one pre-token.
inline std::int64_t line_breaks_cost(std::int64_t breaks) {
  return breaks <= 0 ? 0 : kToken * (1 + (breaks - 1) / 8);
}

// A symbol run of `units` quarter tokens: the first two characters cost one token, each
// further one half a token.
inline std::int64_t symbol_run_cost(std::int64_t units) {
  return units <= 4 ? kToken : kToken + (units - 4) * kToken / 4;
}

}  // namespace autoglm::parse::detail
