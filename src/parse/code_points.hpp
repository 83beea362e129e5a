// Characters as the token estimator sees them: UTF-8 decoding and the classes of
// cl100k_base's pre-tokenizer (letter, digit, space, symbol...). Internal to parse/.
#pragma once

#include <cstdint>

namespace autoglm::parse::detail {

// What a code point is to the pre-tokenizer regex of cl100k_base:
//   's|'t|'re|'ve|'m|'ll|'d | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3}
//   | ' '?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
enum class Cls : std::uint8_t { kEnd, kLetter, kDigit, kSpace, kNewline, kPunct, kBad };

// Which price list a letter or symbol uses.
enum class Script : std::uint8_t {
  kNone,
  kAsciiLower,
  kAsciiUpper,
  kLatin,  // accented Latin letters: part of a word, priced as a letter plus an extra
  kCyrillic,
  kHan,
  kKana,
  kHangul,
  kFullwidth,  // full-width Latin letters (byte-level in cl100k)
  kRare,       // ideographs outside the basic block, letters from supplementary planes
  kNarrow,     // other two-byte letters: Greek, Armenian, Hebrew, Arabic...
  kWide,       // other three-byte letters: Indic, Thai, Ethiopic...
  kSymbol2,    // non-ASCII symbols and punctuation by UTF-8 length
  kSymbol3,
  kSymbol4,
};

// Small enough to live in one register.
struct CodePoint {
  Cls cls = Cls::kBad;
  Script script = Script::kNone;
  std::uint8_t bytes = 1;
};

constexpr CodePoint classify_ascii(unsigned char c) {
  if (c >= 'a' && c <= 'z') return {Cls::kLetter, Script::kAsciiLower, 1};
  if (c >= 'A' && c <= 'Z') return {Cls::kLetter, Script::kAsciiUpper, 1};
  if (c >= '0' && c <= '9') return {Cls::kDigit, Script::kNone, 1};
  if (c == '\n' || c == '\r') return {Cls::kNewline, Script::kNone, 1};
  if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return {Cls::kSpace, Script::kNone, 1};
  return {Cls::kPunct, Script::kNone, 1};  // punctuation, symbols, control characters
}

struct AsciiTable {
  CodePoint entries[128];
};

constexpr AsciiTable make_ascii_table() {
  AsciiTable table{};
  for (int c = 0; c < 128; ++c) table.entries[c] = classify_ascii(static_cast<unsigned char>(c));
  return table;
}

// ASCII is most of most prompts: one table load instead of a chain of compares.
inline constexpr AsciiTable kAscii = make_ascii_table();

inline bool is_ascii_letter(unsigned char b) { return unsigned((b | 0x20) - 'a') < 26u; }
inline bool is_ascii_upper(unsigned char b) { return unsigned(b - 'A') < 26u; }

// Decodes the non-ASCII code point at `p` (REQUIRES p < end, *p >= 0x80); malformed input
// yields kBad of 1 byte.
CodePoint decode_multibyte(const unsigned char* p, const unsigned char* end);

// The three-byte CJK letters most CJK text is made of, or kNone: a fast path that skips
// the general decoder, testing the UTF-8 bytes directly (U+4E00 is E4 B8 80, U+9FFF is
// E9 BF BF; U+AC00 is EA B0 80, U+D7A3 is ED 9E A3; U+3041 is E3 81 81, U+30FA is
// E3 83 BA). REQUIRES end - p >= 3.
inline Script common_cjk(const unsigned char* p) {
  if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return Script::kNone;
  const unsigned key = (unsigned{p[0]} << 8) | p[1];  // lead byte and first continuation
  if (key >= 0xE4B8 && key <= 0xE9BF) return Script::kHan;
  if (key >= 0xEAB0 && key <= 0xED9E) {
    return key < 0xED9E || p[2] <= 0xA3 ? Script::kHangul : Script::kNone;
  }
  if (key >= 0xE381 && key <= 0xE383) {
    const bool in_range = (key != 0xE381 || p[2] >= 0x81) && (key != 0xE383 || p[2] <= 0xBA);
    return in_range ? Script::kKana : Script::kNone;
  }
  return Script::kNone;
}

// Decodes the code point at `p` (REQUIRES p < end).
inline CodePoint decode(const unsigned char* p, const unsigned char* end) {
  return *p < 0x80 ? kAscii.entries[*p] : decode_multibyte(p, end);
}

}  // namespace autoglm::parse::detail
