#include "parse/token_estimator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <random>
#include <string>

namespace autoglm::parse {
namespace {

TEST(TokenEstimatorTest, EmptyTextIsZeroTokensAndAnyOtherTextAtLeastOne) {
  EXPECT_EQ(estimate_tokens(""), 0);
  EXPECT_EQ(estimate_tokens("a"), 1);
  EXPECT_EQ(estimate_tokens(" "), 1);
  EXPECT_EQ(estimate_tokens(std::string_view("\0", 1)), 1);
}

// Short strings with their cl100k_base counts (gpt-tokenizer 4.0.0). Each estimate must be
// within 20% or 2 tokens of the real count.
struct Reference {
  const char* text;
  std::int64_t cl100k;
};

class TokenEstimatorReferenceTest : public testing::TestWithParam<Reference> {};

TEST_P(TokenEstimatorReferenceTest, CloseToTheRealTokenizer) {
  const Reference& r = GetParam();
  const std::int64_t estimate = estimate_tokens(r.text);
  const std::int64_t tolerance = std::max<std::int64_t>(2, r.cl100k / 5);
  EXPECT_LE(std::llabs(estimate - r.cl100k), tolerance)
      << "'" << r.text << "': estimated " << estimate << ", cl100k_base " << r.cl100k;
}

INSTANTIATE_TEST_SUITE_P(
    Cl100k, TokenEstimatorReferenceTest,
    testing::Values(Reference{"hello", 1},
                    Reference{"The quick brown fox jumps over the lazy dog", 9},
                    Reference{"Hello, world!", 4}, Reference{"antidisestablishmentarianism", 6},
                    Reference{"maxBatchedTokens", 4}, Reference{"HTTPServer", 2},
                    Reference{"getElementById", 2}, Reference{"7", 1}, Reference{"123", 1},
                    Reference{"1234567", 3}, Reference{"3.14159", 4},
                    Reference{"大语言模型推理调度器负责把请求分配给合适的计算节点。", 27},
                    Reference{"日本語のテキスト", 8}, Reference{"안녕하세요 세계", 9},
                    Reference{"привет мир", 6}, Reference{"café au lait", 5},
                    Reference{"\xF0\x9F\x98\x80", 2}, Reference{"a b", 2}, Reference{"a\nb", 3},
                    Reference{"don't stop", 3}, Reference{"It's what they're doing", 6},
                    Reference{"    return x;\n", 4}, Reference{"{\"a\": [1, 2, 3]}", 12},
                    Reference{"----------------", 1}, Reference{"line one\n\n\nline two", 5}));

TEST(TokenEstimatorTest, LongRunsOfWhitespaceAreFewTokens) {
  EXPECT_EQ(estimate_tokens(std::string(64, ' ')), 1);
  EXPECT_LE(estimate_tokens(std::string(1000, ' ')), 20);
  EXPECT_LE(estimate_tokens(std::string(1000, '\n')), 130);
}

TEST(TokenEstimatorTest, InvalidUtf8CostsOneTokenPerBadByte) {
  EXPECT_EQ(estimate_tokens("\xFF\xFE"), 2);
  EXPECT_EQ(estimate_tokens("abc\xE4\xB8"), 3);   // a truncated sequence: 2 bad bytes
  EXPECT_EQ(estimate_tokens("\xC0\x80"), 2);      // overlong encoding
  EXPECT_EQ(estimate_tokens("\xED\xA0\x80"), 3);  // a surrogate
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(char(i));
  EXPECT_GT(estimate_tokens(all_bytes), 0);
}

TEST(TokenEstimatorTest, GrowsLinearlyWithRepetition) {
  const std::string line = "The scheduler picks a node for each request.\n";
  std::string text;
  for (int i = 0; i < 100; ++i) text += line;
  EXPECT_NEAR(double(estimate_tokens(text)), 100.0 * double(estimate_tokens(line)), 100.0);
}

TEST(TokenEstimatorTest, AnyBytesGiveABoundedCount) {
  // Never more than one token per byte (byte fallback is the worst case), never negative.
  std::mt19937_64 rng(20240531);
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 300, '\0');
    for (auto& c : text) c = static_cast<char>(rng() % (round % 2 ? 256 : 128));
    const std::int64_t n = estimate_tokens(text);
    ASSERT_GE(n, text.empty() ? 0 : 1);
    ASSERT_LE(n, std::max<std::int64_t>(1, static_cast<std::int64_t>(text.size()) * 3 / 2))
        << "round " << round;
  }
}

// The ASCII fast path must price exactly as the general path, which defines the estimate.
TEST(TokenEstimatorTest, FastPathAgreesWithTheGeneralPath) {
  static const char* const kPieces[] = {"a",
                                        "b",
                                        "e",
                                        "t",
                                        "Z",
                                        "Q",
                                        "x",
                                        "0",
                                        "7",
                                        " ",
                                        " ",
                                        " ",
                                        "\n",
                                        "\t",
                                        "\r",
                                        ".",
                                        ",",
                                        "'",
                                        "\"",
                                        "(",
                                        ")",
                                        "{",
                                        "}",
                                        "-",
                                        "=",
                                        "_",
                                        "e\xCC\x81",
                                        "\xC3\xA9",
                                        "\xE4\xB8\xAD",
                                        "\xF0\x9F\x98\x80",
                                        "\xC2\xA0",
                                        "\xFF",
                                        "  ",
                                        "    ",
                                        "\n\n",
                                        "s",
                                        "re",
                                        "ll",
                                        "AbC",
                                        "'s",
                                        "'re",
                                        "http://x.y/z",
                                        "1234567",
                                        "----------------",
                                        "getElementById"};
  std::mt19937_64 rng(42);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t size = rng() % 400;
    const bool ascii_mostly = rng() % 4 != 0;
    while (text.size() < size) {
      const std::size_t k = ascii_mostly && rng() % 3 ? rng() % 16 : rng() % std::size(kPieces);
      text += kPieces[k];
    }
    if (round % 7 == 0) text.push_back('\0');
    ASSERT_EQ(estimate_tokens(text), detail::estimate_tokens_general_path(text))
        << "round " << round << ": " << testing::PrintToString(text);
  }
}

TEST(TokenEstimatorTest, AWordAfterASpaceCostsNoMoreThanAlone) {
  EXPECT_LE(estimate_tokens(" scheduler"), estimate_tokens("scheduler"));
  EXPECT_LT(estimate_tokens("internationalization"), estimate_tokens("internationalization x y z"));
}

}  // namespace
}  // namespace autoglm::parse
