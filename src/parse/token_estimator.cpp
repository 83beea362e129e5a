#include "parse/token_estimator.hpp"

#include <bit>
#include <cstring>

#include "parse/ascii_masks.hpp"
#include "parse/code_points.hpp"
#include "parse/token_prices.hpp"

namespace autoglm::parse {
namespace {

using detail::ascii_piece_cost;
using detail::Cls;
using detail::CodePoint;
using detail::kPieceCosts;
using detail::kToken;
using detail::letter_cost;
using detail::line_breaks_cost;
using detail::Script;
using detail::space_run_cost;
using detail::symbol_run_cost;

// How a pre-token starts: the regex lets one space or symbol lead a word.
enum class Lead : std::uint8_t { kNone, kSpace, kSymbol };

// One pass over the text, pricing each pre-token as cl100k's regex would cut it. The
// general path decodes code points one by one and is the definition; the fast path prices
// the same pre-tokens of ASCII text from bit masks of 64-byte windows, and hands anything
// else (non-ASCII, contractions, runs longer than a window) back to the general path.
class Estimator {
 public:
  Estimator(const unsigned char* begin, const unsigned char* end, bool fast_path)
      : p_(begin), end_(end), fast_path_(fast_path) {}

  std::int64_t run() {
    while (p_ < end_) {
      if (fast_path_ && !non_ascii_ahead()) fast_path();
      if (p_ < end_) step(at(p_));
    }
    // Latin text with accented letters is rarely English, and cl100k cuts other European
    // languages' plain ASCII words finer too: up to 30% more for them.
    const std::int64_t ascii_letters = letters_ > 0 ? letters_ : 1;
    const std::int64_t boost = accents_ * 1200 / ascii_letters;
    const std::int64_t words = words_ * (100 + (boost < 30 ? boost : 30)) / 100;
    return (cost_ + words + kToken / 2) / kToken;  // to the nearest token
  }

 private:
  // ---- The fast path: ASCII pre-tokens from window masks ----

  // What a window prices, added to the totals when it stops.
  struct Tally {
    std::int64_t cost = 0;
    std::int64_t words = 0;
    std::int64_t letters = 0;
  };

  enum class Outcome : std::uint8_t {
    kDone,        // priced
    kPastWindow,  // may go on past the window: move the window and look again
    kGeneral,     // not for the fast path
  };

  // Prices pre-tokens from p_ on while they are plain ASCII.
  void fast_path() {
    for (;;) {
      if (!window_covers(p_)) open_window();
      const unsigned char* const before = p_;
      const Outcome outcome = window();
      if (outcome == Outcome::kGeneral) return;
      if (p_ == before && window_text_ == before) return;  // a run longer than a window
      window_text_ = nullptr;                              // kPastWindow: look again from p_
    }
  }

  // Masks for the 64 bytes from p_. The last ones of the text are copied and padded with
  // 0x80, which no ASCII pre-token runs into: the one that reaches the end of the text
  // goes to the general path.
  void open_window() {
    window_text_ = p_;
    window_bytes_ = p_;
    if (end_ - p_ < 64) {
      const auto size = static_cast<std::size_t>(end_ - p_);
      std::memcpy(tail_, p_, size);
      std::memset(tail_ + size, 0x80, sizeof tail_ - size);
      window_bytes_ = tail_;
    }
    masks_ = detail::window_masks(window_bytes_);
    punct_ = masks_.punct();
    humps_ = masks_.upper & ((masks_.letter & ~masks_.upper) << 1);
    prose_ = detail::prose_masks(masks_, punct_, humps_);
  }

  // Prices the prose stretch from window position i to the last word boundary before
  // anything else; returns where it ends (i if there is none). The same prices as word by
  // word: a piece after a space costs 100 + 7 per letter past the 6th + 5 past the 12th.
  int prose(int i, Tally& t) const {
    const std::uint64_t from_i = ~std::uint64_t{0} << i;
    const std::uint64_t bad = prose_.bad & from_i;
    const int first_bad = bad == 0 ? 64 : std::countr_zero(bad);
    const std::uint64_t below_bad =
        first_bad == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << first_bad) - 1;
    const std::uint64_t ends = prose_.boundary & below_bad & (from_i << 1);
    if (ends == 0) return i;
    const int end = 63 - std::countl_zero(ends);
    // A word at i has no space before it: it takes the steeper prices, and it may be the
    // rest of a letter run ("'re" + "a"), so the masks do not see where it starts.
    int start = i;
    if (has(masks_.letter, i)) {
      const int n = detail::run_length(masks_.letter, i);
      t.words += ascii_piece_cost(n, false);
      t.letters += n;
      start = i + n;
    }
    const std::uint64_t stretch = (~std::uint64_t{0} << start) & ((std::uint64_t{1} << end) - 1);
    using detail::count_bits;
    t.words += kToken * count_bits(prose_.word_start & stretch) +
               7 * count_bits(prose_.past_6 & stretch) + 5 * count_bits(prose_.past_12 & stretch);
    t.letters += count_bits(masks_.letter & stretch);
    t.cost += kToken * count_bits(punct_ & stretch);
    return end;
  }

  // Whether the current masks serve a pre-token at p, with room to spare. They are kept
  // across general steps, so text that keeps leaving the fast path (code, markup) still
  // computes them about once per window.
  bool window_covers(const unsigned char* p) const {
    return window_text_ != nullptr && p >= window_text_ && p - window_text_ < 48;
  }

  bool has(std::uint64_t mask, int i) const { return (mask >> i) & 1; }

  // Whether the next 16 bytes hold non-ASCII ones, as the current window knows: then the
  // general path goes on directly (CJK between spaces, say) instead of trying the fast one.
  bool non_ascii_ahead() const {
    return window_covers(p_) && ((masks_.high >> (p_ - window_text_)) & 0xFFFF) != 0;
  }

  // Pre-tokens from p_ to the first one the window cannot price; p_ ends after the last
  // one priced.
  Outcome window() {
    int i = static_cast<int>(p_ - window_text_);
    Outcome outcome = Outcome::kPastWindow;
    Tally t;
    while (i < 62) {
      i = plain_words(prose(i, t), t);
      if (i >= 62) break;
      int end = i;
      outcome = pretoken(i, end, t);
      if (outcome != Outcome::kDone) break;
      i = end;
    }
    p_ = window_text_ + i;
    cost_ += t.cost;
    words_ += t.words;
    letters_ += t.letters;
    return outcome == Outcome::kDone ? Outcome::kPastWindow : outcome;
  }

  // The commonest pre-tokens, " word" and "word" without camelCase humps, back to back,
  // with as little work each as the masks allow. Returns where the first other one starts.
  int plain_words(int i, Tally& t) const {
    const std::uint64_t letter = masks_.letter;
    std::int64_t words = 0;
    std::int64_t letters = 0;
    while (i < 62) {
      const int lead = window_bytes_[i] == ' ' ? 1 : 0;
      const int j = i + lead;
      const std::uint64_t stops = ~letter >> j;
      if ((stops & 1) != 0) break;            // not a letter at j
      const int n = std::countr_zero(stops);  // stops != 0: bit 63 - j is set or beyond
      const int next = j + n;
      if (next >= 62 || has(masks_.high, next)) break;
      if (((humps_ >> j) & ((std::uint64_t{1} << n) - 2)) != 0) break;
      words += kPieceCosts.cost[lead][n];
      letters += n;
      i = next;
    }
    t.words += words;
    t.letters += letters;
    return i;
  }

  // One pre-token (with the whitespace or symbol that leads it) at window position i;
  // on kDone its costs are added and `end` is where the next one starts.
  Outcome pretoken(int i, int& end, Tally& t) {
    const detail::WindowMasks& m = masks_;
    if (has(m.letter, i)) return word(i, false, 0, end, t);
    if (has(m.digit, i)) {
      const int n = detail::run_length(m.digit, i);
      if (i + n >= 64) return Outcome::kPastWindow;
      if (has(m.high, i + n)) return Outcome::kGeneral;  // full-width digits go on
      t.cost += kToken * ((n + 2) / 3);
      end = i + n;
      return Outcome::kDone;
    }
    if (has(m.white, i)) return whitespace(i, end, t);
    if (!has(punct_, i)) return Outcome::kGeneral;                   // not ASCII
    if (window_bytes_[i] == '\'') return Outcome::kGeneral;          // maybe a contraction
    if (has(m.letter, i + 1)) return word(i + 1, false, 0, end, t);  // "(word", ".get"
    return symbols(i, 0, end, t);
  }

  // ASCII letters from window position j; `pending` is what leads them (whitespace).
  Outcome word(int j, bool after_space, std::int64_t pending, int& end, Tally& t) {
    const int n = detail::run_length(masks_.letter, j);
    if (j + n >= 64) return Outcome::kPastWindow;
    if (has(masks_.high, j + n)) return Outcome::kGeneral;  // runs on into non-ASCII letters
    // Humps inside the word; its first letter starts a piece whatever came before it.
    std::uint64_t humps = (humps_ >> j) & ((std::uint64_t{1} << n) - 2);
    int start = 0;
    std::int64_t cost = 0;
    for (; humps != 0; humps &= humps - 1) {  // camelCase pieces
      const int hump = std::countr_zero(humps);
      cost += ascii_piece_cost(hump - start, after_space);
      after_space = true;
      start = hump;
    }
    t.words += cost + ascii_piece_cost(n - start, after_space);
    t.letters += n;
    t.cost += pending;
    end = j + n;
    return Outcome::kDone;
  }

  // ASCII symbols from window position j, with the line breaks right after them.
  Outcome symbols(int j, std::int64_t pending, int& end, Tally& t) {
    const int n = detail::run_length(punct_, j);
    if (j + n >= 64) return Outcome::kPastWindow;
    if (has(masks_.high, j + n)) return Outcome::kGeneral;  // non-ASCII symbols go on
    if (n > 12) return Outcome::kGeneral;  // long repeats: the general path counts them
    const unsigned char* const run = window_bytes_ + j;
    int fresh = 1;  // characters that do not repeat the one before them
    for (int k = 1; k < n; ++k) fresh += (run[k] != run[k - 1] || run[k] == 0) ? 1 : 0;
    int after = j + n;
    while (after < 64 && (window_bytes_[after] == '\n' || window_bytes_[after] == '\r')) ++after;
    if (after >= 64) return Outcome::kPastWindow;
    t.cost += pending + symbol_run_cost(2 * fresh);
    end = after;
    return Outcome::kDone;
  }

  // Whitespace from window position i, and the word or symbols a last space leads.
  Outcome whitespace(int i, int& end, Tally& t) {
    const int n = detail::run_length(masks_.white, i);
    const int next = i + n;
    if (next >= 64) return Outcome::kPastWindow;
    if (has(masks_.high, next)) return Outcome::kGeneral;  // maybe more (Unicode) space
    const bool last_is_space = window_bytes_[next - 1] == ' ';
    end = next;
    if (n == 1 && last_is_space) return word_or_symbols(next, true, 0, end, t);  // most of them
    std::int64_t breaks = 0;
    std::int64_t trailing = 0;  // spaces after the last line break
    for (int k = i; k < next; ++k) {
      const bool line_break = window_bytes_[k] == '\n' || window_bytes_[k] == '\r';
      breaks += line_break ? 1 : 0;
      trailing = line_break ? 0 : trailing + 1;
    }
    const std::int64_t cost = line_breaks_cost(breaks);
    if (trailing == 0) {
      t.cost += cost;
      return Outcome::kDone;
    }
    return word_or_symbols(next, last_is_space, cost + space_run_cost(trailing - 1), end, t);
  }

  // What follows the `trailing` spaces of a whitespace run (the last one a ' ' if
  // last_is_space), `pending` the cost of all but that last space.
  Outcome word_or_symbols(int next, bool last_is_space, std::int64_t pending, int& end, Tally& t) {
    if (has(masks_.letter, next)) return word(next, last_is_space, pending, end, t);
    if (has(punct_, next) && last_is_space) return symbols(next, pending, end, t);
    t.cost += pending + kToken;  // the last space stands alone
    return Outcome::kDone;
  }

  // ---- The general path: one code point at a time ----

  CodePoint at(const unsigned char* p) const {
    return p < end_ ? detail::decode(p, end_) : CodePoint{Cls::kEnd, Script::kNone, 0};
  }
  CodePoint advance(const CodePoint& c) {
    p_ += c.bytes;
    return at(p_);
  }

  // One pre-token, with what leads it, starting at the decoded code point `c` at p_.
  void step(CodePoint c) {
    switch (c.cls) {
      case Cls::kLetter:
        word(c, Lead::kNone);
        break;
      case Cls::kDigit:
        digits(c);
        break;
      case Cls::kSpace:
      case Cls::kNewline:
        whitespace(c);
        break;
      case Cls::kPunct:
        symbols(c);
        break;
      case Cls::kBad:
      case Cls::kEnd:
        cost_ += kToken;  // a malformed byte: byte fallback, one token each
        p_ += 1;
        break;
    }
  }

  // A run of letters starting with `c`, optionally led by one space or symbol (already
  // consumed). ASCII letters are priced per camelCase piece, other letters one by one.
  CodePoint word(CodePoint c, Lead lead) {
    std::int64_t piece = 0;    // ASCII letters in the current piece
    std::int64_t accents = 0;  // accented Latin letters in the whole word
    bool piece_after_space = lead == Lead::kSpace;
    bool previous_lower = false;
    bool first = true;
    while (c.cls == Cls::kLetter) {
      if (c.script == Script::kAsciiLower || c.script == Script::kAsciiUpper ||
          c.script == Script::kLatin) {
        if (c.script == Script::kAsciiUpper && previous_lower) {
          words_ += ascii_piece_cost(piece, piece_after_space);
          letters_ += piece;
          piece = 0;
          piece_after_space = true;  // "Buffer" in "RingBuffer" prices like " Buffer"
        }
        ++piece;
        accents += c.script == Script::kLatin ? 1 : 0;
        p_ += c.bytes;
        const unsigned char* const lower_start = p_;
        p_ = detail::skip_lowercase(p_, end_);
        piece += p_ - lower_start;
        previous_lower = p_ != lower_start || c.script != Script::kAsciiUpper;
      } else {
        if (piece > 0) {
          words_ += ascii_piece_cost(piece, piece_after_space);
          letters_ += piece;
          piece = 0;
        }
        piece_after_space = false;
        previous_lower = false;
        // A leading space usually merges into the first character; a symbol does not.
        if (first && lead == Lead::kSymbol) cost_ += kToken;
        cost_ += letter_cost(c.script);
        p_ += c.bytes;
        p_ = skip_common_cjk(p_);
      }
      first = false;
      c = at(p_);
    }
    words_ += ascii_piece_cost(piece, piece_after_space) + 40 * accents;
    letters_ += piece;
    accents_ += accents;
    return c;
  }

  // Prices the common CJK letters from `p` on; returns the first byte after them.
  const unsigned char* skip_common_cjk(const unsigned char* p) {
    std::int64_t cost = 0;
    for (Script s; end_ - p >= 3 && (s = detail::common_cjk(p)) != Script::kNone; p += 3) {
      cost += letter_cost(s);
    }
    cost_ += cost;
    return p;
  }

  CodePoint digits(CodePoint c) {
    std::int64_t n = 0;
    while (c.cls == Cls::kDigit) {
      ++n;
      c = advance(c);
    }
    cost_ += kToken * ((n + 2) / 3);
    return c;
  }

  // Whitespace: line breaks (with the spaces before them) are one pre-token; of the spaces
  // after the last break, one joins a following word or symbol and the rest are another.
  CodePoint whitespace(CodePoint c) {
    std::int64_t breaks = 0;
    std::int64_t trailing = 0;  // spaces after the last line break
    unsigned char last = 0;     // first byte of the last whitespace character
    while (c.cls == Cls::kSpace || c.cls == Cls::kNewline) {
      if (c.cls == Cls::kNewline) {
        ++breaks;
        trailing = 0;
      } else {
        ++trailing;
      }
      last = *p_;
      c = advance(c);
    }
    cost_ += line_breaks_cost(breaks);
    if (trailing == 0) return c;
    if (c.cls == Cls::kEnd) {
      cost_ += space_run_cost(trailing);
    } else if (c.cls == Cls::kLetter) {
      cost_ += space_run_cost(trailing - 1);
      return word(c, last == ' ' ? Lead::kSpace : Lead::kSymbol);
    } else if (c.cls == Cls::kPunct && last == ' ') {
      cost_ += space_run_cost(trailing - 1);
      return symbol_run(c);
    } else {
      cost_ += space_run_cost(trailing - 1) + kToken;  // the last space stands alone
    }
    return c;
  }

  // A symbol at the start of a pre-token: a contraction, the lead of a word, or a run.
  CodePoint symbols(CodePoint c) {
    if (*p_ == '\'' && contraction()) return at(p_);
    const CodePoint next = at(p_ + c.bytes);
    if (next.cls == Cls::kLetter) {
      p_ += c.bytes;
      return word(next, Lead::kSymbol);
    }
    return symbol_run(c);
  }

  // 's 't 're 've 'm 'll 'd, any case: one token each. REQUIRES *p_ == '\''.
  bool contraction() {
    const auto lower = [this](std::ptrdiff_t i) -> char {
      if (end_ - p_ <= i) return 0;
      const unsigned char c = p_[i];
      return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : char(c);
    };
    const char a = lower(1);
    const char b = lower(2);
    std::ptrdiff_t len = 0;
    if (a == 's' || a == 't' || a == 'm' || a == 'd') len = 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) len = 3;
    if (len == 0) return false;
    p_ += len;
    cost_ += kToken;
    return true;
  }

  // Symbols up to the next letter, digit or whitespace, with the line breaks right after
  // them. cl100k merges most short runs ("\",\n", " {\n") into one token; a run of one
  // repeated character ("-----") compresses well, emoji cost two or three tokens each.
  CodePoint symbol_run(CodePoint c) {
    std::int64_t units = 0;      // in quarter tokens
    unsigned char previous = 0;  // the previous symbol if it was ASCII
    std::int64_t repeat = 0;
    while (c.cls == Cls::kPunct) {
      const unsigned char byte = c.bytes == 1 ? *p_ : 0;
      if (c.script == Script::kSymbol4) {
        units += 10;
      } else if (byte != 0 && byte == previous) {
        units += (++repeat % 12 == 0) ? 2 : 0;
      } else {
        units += 2;
        repeat = 0;
      }
      previous = byte;
      c = advance(c);
    }
    while (p_ < end_ && (*p_ == '\n' || *p_ == '\r')) ++p_;
    cost_ += symbol_run_cost(units);
    return at(p_);
  }

  const unsigned char* p_;
  const unsigned char* const end_;
  const bool fast_path_;
  std::int64_t cost_ = 0;     // everything but Latin words
  std::int64_t words_ = 0;    // Latin words, scaled by the language hint at the end
  std::int64_t letters_ = 0;  // Latin letters seen, accented or not
  std::int64_t accents_ = 0;  // accented Latin letters seen
  // The fast path's window: 64 bytes of text from window_text_ (null: none), read from
  // window_bytes_ (the text, or tail_ near its end), described by masks_.
  const unsigned char* window_text_ = nullptr;
  const unsigned char* window_bytes_ = nullptr;
  unsigned char tail_[64];
  detail::WindowMasks masks_;
  std::uint64_t punct_ = 0;  // masks_.punct()
  std::uint64_t humps_ = 0;  // upper-case letters right after lower-case ones
  detail::ProseMasks prose_;
};

std::int64_t estimate(std::string_view text, bool fast_path) {
  if (text.empty()) return 0;
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const std::int64_t tokens = Estimator(begin, begin + text.size(), fast_path).run();
  return tokens > 0 ? tokens : 1;
}

}  // namespace

std::int64_t estimate_tokens(std::string_view utf8_text) { return estimate(utf8_text, true); }

namespace detail {
std::int64_t estimate_tokens_general_path(std::string_view utf8_text) {
  return estimate(utf8_text, false);
}
}  // namespace detail

}  // namespace autoglm::parse
