#include "simnode/text_gen.hpp"

#include <array>

namespace autoglm::simnode {

namespace {

constexpr std::array<std::string_view, 16> kOnsets = {"b", "c", "d", "f", "g", "l", "m", "n",
                                                      "p", "r", "s", "t", "v", "z", "br", "st"};
constexpr std::array<std::string_view, 8> kVowels = {"a", "e", "i", "o", "u", "ai", "ea", "ou"};
constexpr std::array<std::string_view, 8> kCodas = {"", "n", "r", "s", "l", "m", "nt", "x"};

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string TextGenerator::next() {
  std::uint64_t r = splitmix(state_);
  std::string word = first_ ? "" : " ";
  first_ = false;
  const int syllables = 1 + static_cast<int>(r & 1);
  r >>= 1;
  for (int i = 0; i < syllables; ++i) {
    word += kOnsets[r & 15];
    r >>= 4;
    word += kVowels[r & 7];
    r >>= 3;
  }
  word += kCodas[r & 7];
  return word;
}

std::uint64_t stable_hash(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace autoglm::simnode
