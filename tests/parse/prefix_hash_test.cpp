#include "parse/prefix_hash.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <random>
#include <set>
#include <string>

namespace autoglm::parse {
namespace {

std::string text_of(std::size_t bytes, char seed) {
  std::string s(bytes, ' ');
  for (std::size_t i = 0; i < bytes; ++i) s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
  return s;
}

TEST(PrefixHashTest, OnlyFullChunksAreHashed) {
  const PrefixHashOptions options{256, 64};
  EXPECT_TRUE(prefix_hashes("", options).empty());
  EXPECT_TRUE(prefix_hashes(text_of(255, 1), options).empty());
  EXPECT_EQ(prefix_hashes(text_of(256, 1), options).size(), 1u);
  EXPECT_EQ(prefix_hashes(text_of(511, 1), options).size(), 1u);
  EXPECT_EQ(prefix_hashes(text_of(512, 1), options).size(), 2u);
}

TEST(PrefixHashTest, APartialLastChunkDoesNotChangeTheHashes) {
  const std::string text = text_of(600, 3);
  const auto full = prefix_hashes(text.substr(0, 512));
  EXPECT_EQ(prefix_hashes(text), full);
}

TEST(PrefixHashTest, SamePrefixGivesSameLeadingHashes) {
  const std::string shared = text_of(1024, 5);  // four chunks
  const auto a = prefix_hashes(shared + "then the first question, which goes on" + text_of(300, 9));
  const auto b = prefix_hashes(shared + "and a different one, also long enough" + text_of(300, 11));
  ASSERT_GE(a.size(), 5u);
  ASSERT_GE(b.size(), 5u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(a[i], b[i]) << "block " << i;
  EXPECT_NE(a[4], b[4]);
}

TEST(PrefixHashTest, ADifferenceChangesThatBlockAndEveryLaterOne) {
  std::string a = text_of(1024, 2);
  std::string b = a;
  b[300] ^= 1;  // in the second chunk
  const auto ha = prefix_hashes(a);
  const auto hb = prefix_hashes(b);
  ASSERT_EQ(ha.size(), 4u);
  EXPECT_EQ(ha[0], hb[0]);
  for (int i = 1; i < 4; ++i) EXPECT_NE(ha[i], hb[i]) << "block " << i;
}

TEST(PrefixHashTest, EqualChunksAtDifferentPositionsHashDifferently) {
  // Chained: block i depends on everything before it.
  const std::string chunk = text_of(256, 4);
  const auto h = prefix_hashes(chunk + chunk + chunk);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(std::set<std::uint64_t>(h.begin(), h.end()).size(), 3u);
  EXPECT_EQ(h[0], chain_hash(0, chunk));
  EXPECT_EQ(h[1], chain_hash(h[0], chunk));
  EXPECT_EQ(h[2], chain_hash(h[1], chunk));
}

TEST(PrefixHashTest, TheNumberOfBlocksIsCapped) {
  EXPECT_EQ(prefix_hashes(text_of(64 * 256 + 100, 1)).size(), 64u);
  EXPECT_EQ(prefix_hashes(text_of(100 * 256, 1)).size(), 64u);
  EXPECT_EQ(prefix_hashes(text_of(10 * 256, 1), {256, 3}).size(), 3u);
  EXPECT_TRUE(prefix_hashes(text_of(10 * 256, 1), {256, 0}).empty());
  EXPECT_TRUE(prefix_hashes(text_of(10 * 256, 1), {0, 64}).empty());
}

TEST(PrefixHashTest, ChunkSizeIsConfigurable) {
  const std::string text = text_of(1000, 8);
  EXPECT_EQ(prefix_hashes(text, {100, 64}).size(), 10u);
  EXPECT_EQ(prefix_hashes(text, {7, 1000}).size(), 142u);
  EXPECT_EQ(prefix_hashes(text, {1, 64}).size(), 64u);
}

TEST(PrefixHashTest, WherePiecesAreCutDoesNotMatter) {
  std::mt19937_64 rng(7);
  const std::string text = text_of(3000, 6);
  for (std::size_t chunk : {16u, 100u, 256u, 1000u}) {
    const PrefixHashOptions options{chunk, 64};
    const auto whole = prefix_hashes(text, options);
    for (int round = 0; round < 20; ++round) {
      PrefixHasher hasher(options);
      std::size_t at = 0;
      while (at < text.size()) {
        const std::size_t n = std::min<std::size_t>(text.size() - at, rng() % 40);
        hasher.add(std::string_view(text).substr(at, n));
        at += n;
      }
      EXPECT_EQ(hasher.hashes(), whole) << "chunk " << chunk << " round " << round;
    }
  }
}

TEST(PrefixHashTest, HashesAreWellSpread) {
  // Distinct one-chunk texts differing in one byte give distinct hashes with spread bits.
  std::set<std::uint64_t> seen;
  std::uint64_t ones = 0;
  std::string base = text_of(256, 0);
  for (int i = 0; i < 2000; ++i) {
    std::string t = base;
    t[i % 256] = static_cast<char>(i / 256 + 1);
    const auto h = prefix_hashes(t);
    ASSERT_EQ(h.size(), 1u);
    seen.insert(h[0]);
    ones += static_cast<std::uint64_t>(std::popcount(h[0]));
  }
  EXPECT_EQ(seen.size(), 2000u);
  const double mean_bits = double(ones) / 2000.0;
  EXPECT_NEAR(mean_bits, 32.0, 1.0);
}

TEST(PrefixHashTest, KnownValuesStayStable) {
  // Hashes may be stored or compared across processes and hosts: changing the scheme must
  // be deliberate (and change these values).
  const auto h = prefix_hashes(text_of(512, 0), {256, 64});
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0], 0x60d3de18e29e45ffULL);
  EXPECT_EQ(h[1], 0xfc7e4bbc0b0e8665ULL);
  EXPECT_EQ(chain_hash(0, ""), 0x17925c5f1c7d666dULL);
  EXPECT_EQ(chain_hash(0, "hello"), 0x607eb37eb3390e8aULL);
}

}  // namespace
}  // namespace autoglm::parse
