#include "sim/prefix_cache.hpp"

namespace autoglm::sim {

PrefixCache::PrefixCache(std::size_t capacity_blocks) : capacity_(capacity_blocks) {}

void PrefixCache::unlink(std::uint32_t s) {
  Slot& slot = slots_[s];
  if (slot.prev != kNil) slots_[slot.prev].next = slot.next; else head_ = slot.next;
  if (slot.next != kNil) slots_[slot.next].prev = slot.prev; else tail_ = slot.prev;
  slot.prev = slot.next = kNil;
}

void PrefixCache::link_front(std::uint32_t s) {
  Slot& slot = slots_[s];
  slot.prev = kNil;
  slot.next = head_;
  if (head_ != kNil) slots_[head_].prev = s;
  head_ = s;
  if (tail_ == kNil) tail_ = s;
}

std::size_t PrefixCache::match(std::span<const std::uint64_t> hashes) {
  std::size_t n = 0;
  while (n < hashes.size()) {
    const auto it = where_.find(hashes[n]);
    if (it == where_.end()) break;
    ++n;
  }
  for (std::size_t i = n; i-- > 0;) {
    const std::uint32_t s = where_.find(hashes[i])->second;
    unlink(s);
    link_front(s);
  }
  return n;
}

void PrefixCache::touch(std::uint64_t hash) {
  if (const auto it = where_.find(hash); it != where_.end()) {
    unlink(it->second);
    link_front(it->second);
    return;
  }
  std::uint32_t s;
  if (where_.size() >= capacity_) {
    s = tail_;  // evict the least recently used block
    unlink(s);
    where_.erase(slots_[s].hash);
  } else if (!free_.empty()) {
    s = free_.back();
    free_.pop_back();
  } else {
    slots_.emplace_back();
    s = static_cast<std::uint32_t>(slots_.size() - 1);
  }
  slots_[s].hash = hash;
  where_.emplace(hash, s);
  link_front(s);
}

void PrefixCache::insert(std::span<const std::uint64_t> hashes) {
  if (capacity_ == 0) return;
  for (std::size_t i = hashes.size(); i-- > 0;) touch(hashes[i]);
}

void PrefixCache::clear() {
  slots_.clear();
  free_.clear();
  where_.clear();
  head_ = tail_ = kNil;
}

}  // namespace autoglm::sim
