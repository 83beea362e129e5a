#include "parse/token_estimator.hpp"

#include <gtest/gtest.h>

#include <string>

namespace autoglm::parse {
namespace {

TEST(TokenEstimatorTest, EmptyTextIsZeroTokens) { EXPECT_EQ(estimate_tokens(""), 0); }

TEST(TokenEstimatorTest, ShortWordsAreOneTokenEachWithTheirSpace) {
  EXPECT_EQ(estimate_tokens("hello"), 1);
  EXPECT_EQ(estimate_tokens("The quick brown fox jumps over the lazy dog"), 9);
  EXPECT_EQ(estimate_tokens("Hello, world!"), 4);
}

TEST(TokenEstimatorTest, EnglishProseIsAboutFourCharactersPerToken) {
  const std::string prose =
      "Continuous batching lets an inference server add new requests to the running batch "
      "at every iteration instead of waiting for the whole batch to finish. This keeps the "
      "GPU busy and cuts the time to first token, especially when output lengths vary a "
      "lot between requests, which is the common case for chat assistants.";
  const double chars_per_token = double(prose.size()) / double(estimate_tokens(prose));
  EXPECT_GT(chars_per_token, 3.5);
  EXPECT_LT(chars_per_token, 5.5);
}

TEST(TokenEstimatorTest, LongAndCamelCaseWordsSplit) {
  EXPECT_EQ(estimate_tokens("antidisestablishmentarianism"), 5);  // 28 letters
  EXPECT_EQ(estimate_tokens("maxBatchedTokens"), 3);
  EXPECT_EQ(estimate_tokens("HTTPServer"), 2);
}

TEST(TokenEstimatorTest, DigitsGoInGroupsOfThree) {
  EXPECT_EQ(estimate_tokens("7"), 1);
  EXPECT_EQ(estimate_tokens("123"), 1);
  EXPECT_EQ(estimate_tokens("1234567"), 3);
}

TEST(TokenEstimatorTest, CodeCountsPunctuationAndIndentation) {
  const std::string code =
      "int main(int argc, char** argv) {\n"
      "    for (int i = 0; i < argc; ++i) {\n"
      "        std::printf(\"%s\\n\", argv[i]);\n"
      "    }\n"
      "    return 0;\n"
      "}\n";
  const std::int64_t tokens = estimate_tokens(code);
  // About one token per 2-3 characters, as BPE tokenizers give for C-like code.
  EXPECT_GT(tokens, 40);
  EXPECT_LT(tokens, 70);
}

TEST(TokenEstimatorTest, ChineseIsAboutOneTokenPerCharacter) {
  const std::string chinese = "大语言模型推理调度器负责把请求分配给合适的计算节点。";  // 26 chars
  EXPECT_GE(estimate_tokens(chinese), 24);
  EXPECT_LE(estimate_tokens(chinese), 34);
  EXPECT_EQ(estimate_tokens("日本語のテキスト"), 8);
  EXPECT_EQ(estimate_tokens("안녕하세요"), 7);  // 5 syllables x 1.25, rounded up
}

TEST(TokenEstimatorTest, OtherScriptsCountByBytes) {
  EXPECT_EQ(estimate_tokens("привет"), 3);  // 12 bytes
  EXPECT_EQ(estimate_tokens("café"), 2);
  EXPECT_EQ(estimate_tokens("\xF0\x9F\x98\x80"), 1);  // one emoji
}

TEST(TokenEstimatorTest, WhitespaceMostlyMerges) {
  EXPECT_EQ(estimate_tokens("a b"), 2);
  EXPECT_EQ(estimate_tokens("a\nb"), 3);
  EXPECT_EQ(estimate_tokens(" "), 1);
  EXPECT_EQ(estimate_tokens(std::string(64, ' ')), 4);
}

TEST(TokenEstimatorTest, InvalidUtf8DoesNotCrash) {
  EXPECT_EQ(estimate_tokens("\xFF\xFE"), 2);
  EXPECT_EQ(estimate_tokens("abc\xE4\xB8"), 3);  // truncated sequence: 2 bad bytes
  EXPECT_EQ(estimate_tokens("\xC0\x80"), 2);     // overlong encoding
  EXPECT_EQ(estimate_tokens("\xED\xA0\x80"), 3);  // surrogate
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(char(i));
  EXPECT_GT(estimate_tokens(all_bytes), 0);
  EXPECT_EQ(estimate_tokens(std::string_view("a\0b", 3)), 2);  // NUL joins "b" like punctuation
}

TEST(TokenEstimatorTest, GrowsLinearlyWithRepetition) {
  const std::string line = "The scheduler picks a node for each request.\n";
  std::string text;
  for (int i = 0; i < 100; ++i) text += line;
  EXPECT_NEAR(double(estimate_tokens(text)), 100.0 * double(estimate_tokens(line)), 100.0);
}

}  // namespace
}  // namespace autoglm::parse
