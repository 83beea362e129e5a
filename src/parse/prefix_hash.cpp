#include "parse/prefix_hash.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace autoglm::parse {
namespace {

// Odd 64-bit constants with well-mixed bits (the wyhash family's).
constexpr std::uint64_t kSeed = 0xa0761d6478bd642fULL;
constexpr std::uint64_t kMixA = 0xe7037ed1a0b428dbULL;
constexpr std::uint64_t kMixB = 0x8ebc6af09c88c6e3ULL;
constexpr std::uint64_t kFinal = 0x589965cc75374cc3ULL;

// 64x64 -> 128-bit multiply, folded: every input bit reaches most output bits.
inline std::uint64_t mum(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

inline std::uint64_t load_le64(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

// One 16-byte block into the running state.
inline std::uint64_t mix_block(std::uint64_t state, const unsigned char* p) {
  return mum(load_le64(p) ^ kMixA, load_le64(p + 8) ^ state ^ kMixB);
}

// The tail (fewer than 16 bytes, zero-padded) and the length close a chunk.
std::uint64_t finish(std::uint64_t state, const unsigned char* tail, std::size_t tail_bytes,
                     std::size_t total_bytes) {
  unsigned char block[16] = {};
  if (tail_bytes > 0) std::memcpy(block, tail, tail_bytes);
  state = mix_block(state ^ tail_bytes, block);
  return mum(state ^ kFinal, total_bytes ^ kSeed);
}

inline std::uint64_t start(std::uint64_t previous) { return previous ^ kSeed; }

}  // namespace

std::uint64_t chain_hash(std::uint64_t previous, std::string_view chunk) {
  const auto* p = reinterpret_cast<const unsigned char*>(chunk.data());
  std::size_t n = chunk.size();
  std::uint64_t state = start(previous);
  for (; n >= 16; p += 16, n -= 16) state = mix_block(state, p);
  return finish(state, p, n, chunk.size());
}

PrefixHasher::PrefixHasher(const PrefixHashOptions& options)
    : chunk_bytes_(options.chunk_bytes),
      max_blocks_(options.max_blocks > 0 ? static_cast<std::size_t>(options.max_blocks) : 0),
      full_(chunk_bytes_ == 0 || max_blocks_ == 0),
      state_(start(0)) {}

void PrefixHasher::reserve(std::size_t stream_bytes) {
  if (chunk_bytes_ == 0) return;
  hashes_.reserve(std::min(max_blocks_, stream_bytes / chunk_bytes_));
}

void PrefixHasher::add(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  while (n > 0 && !full_) {
    const std::size_t take = std::min(n, chunk_bytes_ - filled_);
    absorb(p, take);
    p += take;
    n -= take;
    if (filled_ == chunk_bytes_) finish_chunk();
  }
}

// REQUIRES: filled_ + n <= chunk_bytes_. Blocks are aligned to the chunk start, so the
// result does not depend on how the stream was cut into pieces.
void PrefixHasher::absorb(const unsigned char* p, std::size_t n) {
  filled_ += n;
  if (pending_bytes_ > 0) {
    const std::size_t take = std::min(n, sizeof pending_ - pending_bytes_);
    std::memcpy(pending_ + pending_bytes_, p, take);
    pending_bytes_ += take;
    p += take;
    n -= take;
    if (pending_bytes_ < sizeof pending_) return;
    state_ = mix_block(state_, pending_);
    pending_bytes_ = 0;
  }
  for (; n >= 16; p += 16, n -= 16) state_ = mix_block(state_, p);
  std::memcpy(pending_, p, n);
  pending_bytes_ = n;
}

void PrefixHasher::finish_chunk() {
  const std::uint64_t hash = finish(state_, pending_, pending_bytes_, chunk_bytes_);
  if (hashes_.capacity() == 0) hashes_.reserve(std::min<std::size_t>(max_blocks_, 16));
  hashes_.push_back(hash);
  state_ = start(hash);
  pending_bytes_ = 0;
  filled_ = 0;
  full_ = hashes_.size() >= max_blocks_;
}

std::vector<std::uint64_t> prefix_hashes(std::string_view text, const PrefixHashOptions& options) {
  PrefixHasher hasher(options);
  hasher.reserve(text.size());
  hasher.add(text);
  return std::move(hasher).take();
}

}  // namespace autoglm::parse
