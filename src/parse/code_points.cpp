#include "parse/code_points.hpp"

namespace autoglm::parse::detail {
namespace {

bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

// Approximates Unicode's \p{L} for the scripts that matter; what is neither a letter nor
// whitespace counts as a symbol, priced by its UTF-8 length.
Script letter_script(char32_t cp) {
  if (in(cp, 0xC0, 0x24F)) return (cp == 0xD7 || cp == 0xF7) ? Script::kNone : Script::kLatin;
  if (in(cp, 0x250, 0x2FF) || in(cp, 0x1E00, 0x1EFF)) return Script::kLatin;
  if (in(cp, 0x400, 0x52F)) return Script::kCyrillic;
  if (in(cp, 0x370, 0x7FF)) return Script::kNarrow;
  if (in(cp, 0x800, 0x1FFF) || in(cp, 0x2C00, 0x2DFF) || in(cp, 0xA000, 0xABFF) ||
      in(cp, 0xFB00, 0xFDFF) || in(cp, 0xFE70, 0xFEFE)) {
    return Script::kWide;
  }
  if (in(cp, 0x4E00, 0x9FFF)) return Script::kHan;
  if (in(cp, 0x3041, 0x30FA) || cp == 0x30FC || in(cp, 0x31F0, 0x31FF) || in(cp, 0xFF66, 0xFF9F)) {
    return Script::kKana;
  }
  if (in(cp, 0xAC00, 0xD7FF) || in(cp, 0x1100, 0x11FF) || in(cp, 0x3131, 0x318F) ||
      in(cp, 0xFFA0, 0xFFDC)) {
    return Script::kHangul;
  }
  if (in(cp, 0xFF21, 0xFF3A) || in(cp, 0xFF41, 0xFF5A)) return Script::kFullwidth;
  if (cp == 0x3005 || cp == 0x3006 || in(cp, 0x3400, 0x4DBF) || in(cp, 0xF900, 0xFAFF) ||
      in(cp, 0x3105, 0x312F) || in(cp, 0x10000, 0x1BFFF) || in(cp, 0x20000, 0x3FFFF)) {
    return Script::kRare;
  }
  return Script::kNone;
}

bool is_unicode_space(char32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || in(cp, 0x2000, 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

}  // namespace

CodePoint decode_multibyte(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = *p;
  std::uint8_t len = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0)
    len = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0)
    len = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0)
    len = 4, cp = c & 0x07;
  else
    return {};
  if (end - p < len) return {};
  for (int i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  // The common scripts and CJK punctuation first; then the general classification.
  if (in(cp, 0x4E00, 0x9FFF)) return {Cls::kLetter, Script::kHan, len};
  if (in(cp, 0xAC00, 0xD7A3)) return {Cls::kLetter, Script::kHangul, len};
  if (in(cp, 0x3041, 0x30FA)) return {Cls::kLetter, Script::kKana, len};
  if (in(cp, 0x3001, 0x303F) && cp != 0x3005 && cp != 0x3006) {
    return {Cls::kPunct, Script::kSymbol3, len};  // 、。「」 and the like
  }
  if (in(cp, 0xFF01, 0xFF0F) || in(cp, 0xFF1A, 0xFF20)) {
    return {Cls::kPunct, Script::kSymbol3, len};  // full-width ，！：？ and the like
  }
  if (is_unicode_space(cp)) return {Cls::kSpace, Script::kNone, len};
  if (in(cp, 0xFF10, 0xFF19)) return {Cls::kDigit, Script::kNone, len};
  const Script script = letter_script(cp);
  if (script != Script::kNone) return {Cls::kLetter, script, len};
  const Script symbol = len == 2   ? Script::kSymbol2
                        : len == 3 ? Script::kSymbol3
                                   : Script::kSymbol4;
  return {Cls::kPunct, symbol, len};
}

}  // namespace autoglm::parse::detail
