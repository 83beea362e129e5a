// PrefixCache: which prompt-prefix blocks one simulated node holds in its KV cache, as an
// LRU of chained block hashes bounded to what the cache can hold. The simulator asks it how
// much of a new prompt is cached (the leading blocks it holds) and tells it what a prefill
// computed. An approximation of vLLM's automatic prefix caching: it does not shrink while
// running sequences fill the KV cache, so it is an upper bound on hits under load.
// Not thread-safe: one simulated node owns it.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace autoglm::sim {

class PrefixCache {
 public:
  explicit PrefixCache(std::size_t capacity_blocks);

  // The number of leading hashes held; those blocks become the most recently used.
  std::size_t match(std::span<const std::uint64_t> hashes);
  // Records that all of `hashes` are now cached (most recently used), evicting the least
  // recently used blocks past the capacity. Blocks are touched last-to-first, so a chain's
  // first block is the last of it to be evicted.
  void insert(std::span<const std::uint64_t> hashes);
  void clear();

  std::size_t size() const { return where_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool contains(std::uint64_t hash) const { return where_.count(hash) != 0; }

 private:
  static constexpr std::uint32_t kNil = 0xffffffffu;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t prev = kNil;  // towards most recently used
    std::uint32_t next = kNil;  // towards least recently used
  };
  void unlink(std::uint32_t s);
  void link_front(std::uint32_t s);
  void touch(std::uint64_t hash);

  std::size_t capacity_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::uint32_t head_ = kNil;
  std::uint32_t tail_ = kNil;
  std::unordered_map<std::uint64_t, std::uint32_t> where_;
};

}  // namespace autoglm::sim
