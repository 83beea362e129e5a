#include "parse/token_estimator.hpp"

namespace autoglm::parse {
namespace {

enum class Kind { kNone, kLower, kUpper, kDigit, kPunct, kSpace, kNewline, kCjk, kOther, kBad };

// One decoded code point: its class, UTF-8 length and cost in quarter tokens (CJK only).
struct CodePoint {
  Kind kind = Kind::kBad;
  int bytes = 1;
  int cjk_quarters = 0;
};

Kind classify_ascii(unsigned char c) {
  if (c >= 'a' && c <= 'z') return Kind::kLower;
  if (c >= 'A' && c <= 'Z') return Kind::kUpper;
  if (c >= '0' && c <= '9') return Kind::kDigit;
  if (c == '\n' || c == '\r') return Kind::kNewline;
  if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return Kind::kSpace;
  return Kind::kPunct;  // punctuation, symbols, control characters
}

// Quarter tokens for a CJK-family code point, 0 if it is not one.
int cjk_quarters(char32_t cp) {
  if (cp >= 0x4E00 && cp <= 0x9FFF) return 4;    // CJK unified ideographs
  if (cp >= 0x3040 && cp <= 0x30FF) return 4;    // hiragana, katakana
  if (cp >= 0x3000 && cp <= 0x303F) return 4;    // CJK punctuation
  if (cp >= 0xFF00 && cp <= 0xFFEF) return 4;    // full- and half-width forms
  if (cp >= 0xAC00 && cp <= 0xD7AF) return 5;    // Hangul syllables
  if (cp >= 0x1100 && cp <= 0x11FF) return 4;    // Hangul jamo
  if (cp >= 0x3130 && cp <= 0x318F) return 4;    // Hangul compatibility jamo
  if (cp >= 0x3400 && cp <= 0x4DBF) return 8;    // extension A
  if (cp >= 0xF900 && cp <= 0xFAFF) return 8;    // compatibility ideographs
  if (cp >= 0x20000 && cp <= 0x3FFFF) return 8;  // extensions B and later
  return 0;
}

// Decodes the code point at `p` (REQUIRES p < end); malformed input yields kBad of 1 byte.
CodePoint decode(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = *p;
  if (c < 0x80) return {classify_ascii(c), 1, 0};
  int len = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
  else return {};
  if (end - p < len) return {};
  for (int i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  if (cp == 0x00A0) return {Kind::kSpace, len, 0};
  const int q = cjk_quarters(cp);
  return {q ? Kind::kCjk : Kind::kOther, len, q};
}

// What kind of run a character extends: letters of either case form one word run,
// spaces and line breaks one whitespace run.
Kind run_kind(Kind k) {
  if (k == Kind::kUpper) return Kind::kLower;
  if (k == Kind::kNewline) return Kind::kSpace;
  return k;
}

// Accumulates runs of one kind and prices each when the next run starts.
class Counter {
 public:
  void feed(const CodePoint& c) {
    const Kind run = run_kind(c.kind);
    if (run != run_ || (c.kind == Kind::kUpper && previous_lower_)) flush(run);
    run_ = run;
    previous_lower_ = c.kind == Kind::kLower;
    ++chars_;
    bytes_ += c.bytes;
    quarters_ += c.cjk_quarters;
    if (c.kind == Kind::kNewline) {
      ++newlines_;
      spaces_before_break_ += spaces_after_break_;
      spaces_after_break_ = 0;
    } else if (c.kind == Kind::kSpace) {
      ++spaces_after_break_;
    }
  }

  std::int64_t finish() {
    flush(Kind::kNone);
    return (quarters_ + 3) / 4;
  }

 private:
  // Prices the current run; `next` is the kind of the character that ends it.
  void flush(Kind next) {
    const bool joins_next = next != Kind::kNone && next != Kind::kSpace;
    std::int64_t tokens = 0;
    switch (run_) {
      case Kind::kLower: tokens = chars_ <= 8 ? 1 : 1 + (chars_ - 3) / 6; break;
      case Kind::kDigit: tokens = (chars_ + 2) / 3; break;
      case Kind::kPunct: {
        const std::int64_t n = chars_ - (next == Kind::kLower ? 1 : 0);
        tokens = n <= 1 ? n : (n + 1) / 2;
        break;
      }
      case Kind::kSpace: tokens = whitespace_tokens(joins_next); break;
      case Kind::kOther: tokens = (bytes_ + 3) / 4; break;
      case Kind::kBad: tokens = chars_; break;
      case Kind::kCjk: break;  // priced per character in feed()
      default: break;
    }
    quarters_ += 4 * tokens;
    run_ = Kind::kNone;
    chars_ = bytes_ = newlines_ = spaces_before_break_ = spaces_after_break_ = 0;
  }

  std::int64_t whitespace_tokens(bool joins_next) const {
    std::int64_t tokens = 0;
    if (newlines_ > 0) tokens += 1 + (newlines_ - 1) / 3 + (spaces_before_break_ > 0 ? 1 : 0);
    const std::int64_t spaces = spaces_after_break_ - (joins_next ? 1 : 0);
    if (spaces > 0) tokens += 1 + (spaces - 1) / 16;
    return tokens;
  }

  Kind run_ = Kind::kNone;
  bool previous_lower_ = false;
  std::int64_t chars_ = 0;
  std::int64_t bytes_ = 0;
  std::int64_t newlines_ = 0;
  std::int64_t spaces_before_break_ = 0;
  std::int64_t spaces_after_break_ = 0;
  std::int64_t quarters_ = 0;
};

}  // namespace

std::int64_t estimate_tokens(std::string_view utf8_text) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8_text.data());
  const auto* end = p + utf8_text.size();
  Counter counter;
  while (p < end) {
    const CodePoint c = decode(p, end);
    counter.feed(c);
    p += c.bytes;
  }
  const std::int64_t tokens = counter.finish();
  return utf8_text.empty() ? 0 : (tokens > 0 ? tokens : 1);
}

}  // namespace autoglm::parse
