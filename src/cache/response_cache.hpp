// The response cache: complete, non-streamed OpenAI answers by CacheKey, with a TTL and an
// LRU bound in bytes, plus hit/miss/eviction counters for /metrics. Time is injected.
// Threading: thread-safe. Keys are spread over `shards`, each with its own mutex and LRU,
// so concurrent lookups rarely wait on each other; entries are shared, immutable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/cache_key.hpp"
#include "core/clock.hpp"

namespace autoglm::cache {

using namespace std::chrono_literals;

struct CacheOptions {
  std::size_t max_bytes = 64u << 20;       // all shards together
  std::size_t max_entry_bytes = 1u << 20;  // larger answers are not stored
  core::Duration ttl = 300s;
  std::size_t shards = 8;  // each holds max_bytes / shards
};

struct CachedResponse {
  std::string body;  // the complete JSON answer as the node sent it
  std::string model;
  core::Time stored{0};
};

struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;  // expired entries count as misses too
  std::uint64_t insertions = 0;
  std::uint64_t evictions = 0;  // pushed out by the byte bound
  std::uint64_t expirations = 0;
  std::uint64_t rejected = 0;  // larger than max_entry_bytes
  std::size_t bytes = 0;
  std::size_t entries = 0;
};

class ResponseCache {
 public:
  ResponseCache(CacheOptions options, const core::Clock& clock);
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // The live entry for the key (and marks it recently used), or nullptr. Counts a hit or
  // a miss.
  std::shared_ptr<const CachedResponse> lookup(const CacheKey& key);
  // Stores (or replaces) the answer; false when it is over max_entry_bytes.
  bool insert(const CacheKey& key, std::string body);
  void clear();

  CacheStats stats() const;
  // What one entry costs against max_bytes: key, body and bookkeeping.
  static std::size_t entry_cost(const CacheKey& key, const std::string& body);

 private:
  struct Entry {
    std::string digest;
    std::shared_ptr<const CachedResponse> response;
    std::size_t cost = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> by_digest;
    std::size_t bytes = 0;
    CacheStats stats;
  };

  Shard& shard_for(const std::string& digest);
  void erase_locked(Shard& s, std::list<Entry>::iterator it);

  const CacheOptions options_;
  const std::size_t shard_bytes_;
  const core::Clock& clock_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace autoglm::cache
