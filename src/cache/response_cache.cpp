#include "cache/response_cache.hpp"

#include <algorithm>
#include <functional>

namespace autoglm::cache {

namespace {
constexpr std::size_t kEntryOverhead = 128;  // list node, map node, shared_ptr control block
}

ResponseCache::ResponseCache(CacheOptions options, const core::Clock& clock)
    : options_(options),
      shard_bytes_(options.max_bytes / std::max<std::size_t>(1, options.shards)),
      clock_(clock) {
  const std::size_t n = std::max<std::size_t>(1, options_.shards);
  for (std::size_t i = 0; i < n; ++i) shards_.push_back(std::make_unique<Shard>());
}

std::size_t ResponseCache::entry_cost(const CacheKey& key, const std::string& body) {
  return key.digest.size() * 2 + key.model.size() + body.size() + kEntryOverhead;
}

ResponseCache::Shard& ResponseCache::shard_for(const std::string& digest) {
  return *shards_[std::hash<std::string>{}(digest) % shards_.size()];
}

void ResponseCache::erase_locked(Shard& s, std::list<Entry>::iterator it) {
  s.bytes -= it->cost;
  s.by_digest.erase(it->digest);
  s.lru.erase(it);
}

std::shared_ptr<const CachedResponse> ResponseCache::lookup(const CacheKey& key) {
  Shard& s = shard_for(key.digest);
  const core::Time now = clock_.now();
  std::lock_guard lock(s.mu);
  auto found = s.by_digest.find(key.digest);
  if (found == s.by_digest.end()) {
    ++s.stats.misses;
    return nullptr;
  }
  auto it = found->second;
  if (now - it->response->stored >= options_.ttl) {
    erase_locked(s, it);
    ++s.stats.expirations;
    ++s.stats.misses;
    return nullptr;
  }
  s.lru.splice(s.lru.begin(), s.lru, it);
  ++s.stats.hits;
  return it->response;
}

bool ResponseCache::insert(const CacheKey& key, std::string body) {
  Shard& s = shard_for(key.digest);
  const std::size_t cost = entry_cost(key, body);
  std::lock_guard lock(s.mu);
  if (body.size() > options_.max_entry_bytes || cost > shard_bytes_) {
    ++s.stats.rejected;
    return false;
  }
  if (auto found = s.by_digest.find(key.digest); found != s.by_digest.end()) {
    erase_locked(s, found->second);
  }
  while (!s.lru.empty() && s.bytes + cost > shard_bytes_) {
    erase_locked(s, std::prev(s.lru.end()));
    ++s.stats.evictions;
  }
  auto response = std::make_shared<const CachedResponse>(
      CachedResponse{std::move(body), key.model, clock_.now()});
  s.lru.push_front(Entry{key.digest, std::move(response), cost});
  s.by_digest.emplace(key.digest, s.lru.begin());
  s.bytes += cost;
  ++s.stats.insertions;
  return true;
}

void ResponseCache::clear() {
  for (auto& s : shards_) {
    std::lock_guard lock(s->mu);
    s->lru.clear();
    s->by_digest.clear();
    s->bytes = 0;
  }
}

CacheStats ResponseCache::stats() const {
  CacheStats total;
  for (const auto& s : shards_) {
    std::lock_guard lock(s->mu);
    total.hits += s->stats.hits;
    total.misses += s->stats.misses;
    total.insertions += s->stats.insertions;
    total.evictions += s->stats.evictions;
    total.expirations += s->stats.expirations;
    total.rejected += s->stats.rejected;
    total.bytes += s->bytes;
    total.entries += s->lru.size();
  }
  return total;
}

}  // namespace autoglm::cache
