// Estimates how many tokens a byte-level BPE tokenizer (cl100k_base / Llama-3 style) makes
// of a text, without its vocabulary: the parse engine's input-token count for scheduling.
#pragma once

#include <cstdint>
#include <string_view>

namespace autoglm::parse {

// Pure, allocation-free, one pass over the bytes; any input is accepted. Thread-safe.
// ASCII text is priced from SSE2 bit masks of 64-byte windows (plain prose a stretch at a
// time), everything else one code point at a time; both give the same numbers.
//
// The text is cut into pre-tokens the way cl100k_base's regex cuts it, and each pre-token
// is priced from what its vocabulary does with that kind of piece:
//  - Words: one space or symbol may lead a run of letters ("_path", " the"). ASCII words
//    split at lower->upper case changes (camelCase). A piece led by a space is 1 token up
//    to 6 letters and grows slowly after that; without a space it grows from 4 letters.
//    If the text has accented Latin letters (other European languages) its Latin words
//    cost up to 30% more.
//  - Digits: 1 token per group of 3; a lone space before a number is its own token.
//  - Symbols: a run of ASCII punctuation (with an optional leading space and the line
//    breaks right after it, as in "\",\n") is 1 token for 2 characters, +1/2 per further
//    character; a repeated character ("-----") is nearly free; emoji cost ~2.5 tokens.
//  - Whitespace: a group of line breaks is 1 token (per 8). Of a run of spaces, the last
//    joins a following word or symbol and the rest are 1 token (per 64); before a digit
//    or at the end the last one is a token of its own.
//  - CJK: Han 1.1 tokens per character, kana 1.05, Hangul 1.25; rare ideographs 2.
//  - Other scripts per letter: Cyrillic 0.5, Greek/Hebrew/Arabic 0.8, Indic/Thai 1.
//  - Invalid UTF-8: 1 token per bad byte (byte fallback).
// Fractions are summed and rounded to the nearest token; non-empty text is at least 1.
// Calibrated against cl100k_base (gpt-tokenizer 4.0.0) on tests/parse/fixtures: every
// fixture within ±15%, most within ±5% (docs/parsing.md has the table).
std::int64_t estimate_tokens(std::string_view utf8_text);

namespace detail {
// The same estimate without the ASCII fast path: one code point at a time. For tests,
// which check that both paths agree.
std::int64_t estimate_tokens_general_path(std::string_view utf8_text);
}  // namespace detail

}  // namespace autoglm::parse
