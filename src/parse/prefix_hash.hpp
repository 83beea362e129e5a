// Prefix block hashes for cache affinity: chained 64-bit hashes of fixed-size chunks of a
// prompt, so requests that share a prefix (system prompt, conversation so far) share their
// leading hashes and the prefix_affinity scorer can send them where that prefix is cached.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace autoglm::parse {

// Chunks are cut by bytes, not tokens: the parser has no tokenizer, and a byte count is
// stable across models. 256 bytes is about 64 tokens of English (cl100k averages ~4 bytes
// per token), four 16-token KV-cache blocks of vLLM.
struct PrefixHashOptions {
  std::size_t chunk_bytes = 256;  // 0 disables hashing
  int max_blocks = 64;            // at most this many hashes (16 KiB of prompt by default)
};

// The hash of the chunk that follows a chunk hashed `previous` (0 for the first chunk):
// hash_i = H(hash_{i-1}, chunk_i). A wyhash-style multiply-fold mix over 16-byte blocks:
// fast (several bytes per cycle) and well spread, but neither cryptographic nor
// collision-resistant against crafted input; a collision only costs a wrong affinity
// guess. The same value on every host (words are read little-endian).
std::uint64_t chain_hash(std::uint64_t previous, std::string_view chunk);

// Hashes a byte stream given in pieces (message fields, prompt parts): the result depends
// only on the concatenated bytes, never on where the pieces were cut. Only full chunks are
// hashed; a partial last chunk is not. Once max_blocks hashes exist further bytes are
// ignored without being read. Single-threaded; owns its hashes.
class PrefixHasher {
 public:
  explicit PrefixHasher(const PrefixHashOptions& options = {});

  // Optional: room for the hashes of a stream of about this many bytes.
  void reserve(std::size_t stream_bytes);
  void add(std::string_view bytes);
  // True once max_blocks chunks are hashed (or hashing is disabled): add() does nothing.
  bool full() const { return full_; }

  const std::vector<std::uint64_t>& hashes() const { return hashes_; }
  std::vector<std::uint64_t> take() && { return std::move(hashes_); }

 private:
  void absorb(const unsigned char* p, std::size_t n);
  void finish_chunk();

  std::size_t chunk_bytes_;
  std::size_t max_blocks_;
  bool full_;
  std::uint64_t state_;            // running state of the current chunk
  unsigned char pending_[16];      // the current 16-byte block, until it is complete
  std::size_t pending_bytes_ = 0;  // how many bytes pending_ holds
  std::size_t filled_ = 0;         // bytes of the current chunk so far
  std::vector<std::uint64_t> hashes_;
};

// The hashes of one text.
std::vector<std::uint64_t> prefix_hashes(std::string_view text,
                                         const PrefixHashOptions& options = {});

}  // namespace autoglm::parse
