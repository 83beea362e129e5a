// Estimates how many tokens a byte-level BPE tokenizer (cl100k / Llama-3 style) makes of a
// text, without its vocabulary: the parse engine's input-token count for scheduling.
#pragma once

#include <cstdint>
#include <string_view>

namespace autoglm::parse {

// Pure, allocation-free, one pass over the bytes; any input is accepted.
//
// The text is cut into runs the way the tokenizers' pre-tokenizer regex does, and each
// run is priced:
//  - ASCII letters: a run is split at lower->upper case changes (camelCase). A piece of
//    up to 8 letters is 1 token; longer pieces add 1 token per 6 further letters.
//  - Digits: 1 token per group of 3.
//  - ASCII punctuation and symbols: a lone character is 1 token, a run of n is
//    ceil(n / 2); one character directly before a letter joins that word ("'s", ".get").
//  - Whitespace: one space (or tab) before a non-space joins the next run for free;
//    more spaces cost 1 token per 16; a group of line breaks costs 1 token per 3, and
//    spaces at a line's end 1 token.
//  - CJK ideographs, kana and CJK punctuation: 1 token per character; rare ideographs
//    (extension blocks, compatibility) 2; Hangul syllables 1.25.
//  - Other non-ASCII (accented Latin, Cyrillic, Greek, Arabic, Indic, emoji, typographic
//    punctuation): a run costs ceil(UTF-8 bytes / 4).
//  - Invalid UTF-8: 1 token per bad byte (byte fallback).
// Fractions are summed and rounded up; non-empty text is at least 1 token. Roughly 4
// characters per token on English prose. Not calibrated against a real tokenizer yet.
std::int64_t estimate_tokens(std::string_view utf8_text);

}  // namespace autoglm::parse
