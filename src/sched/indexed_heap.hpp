// A 4-ary heap over slots of an outside table that records each slot's position in the
// heap, so an entry can be removed from the middle in O(log n). Four children share one or
// two cache lines, which halves the depth (and the cache misses) of a binary heap's
// sift-down on deep queues. Used by the ready queue.
// Not thread-safe; owned by its ReadyQueue.
#pragma once

#include <cstdint>
#include <vector>

namespace autoglm::sched::detail {

inline constexpr std::uint32_t kNoSlot = 0xffffffffu;

// Entry: a small value type with a `slot` member (std::uint32_t). Before(a, b): a is served
// first. Positions are written to pos[entry.slot]; the caller owns `pos`.
template <typename Entry, typename Before>
class IndexedHeap {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Entry& top() const { return heap_.front(); }  // REQUIRES: !empty()
  const Entry& at(std::uint32_t i) const { return heap_[i]; }

  void push(const Entry& entry, std::vector<std::uint32_t>& pos) {
    heap_.push_back(entry);
    sift_up(static_cast<std::uint32_t>(heap_.size() - 1), pos);
  }

  // Replaces the entry at heap position `i` (same or another slot) and restores order.
  void replace_at(std::uint32_t i, const Entry& entry, std::vector<std::uint32_t>& pos) {
    heap_[i] = entry;
    if (!sift_up(i, pos)) sift_down(i, pos);
  }

  // Removes the entry at heap position `i` (pos[slot] of the entry to remove).
  void erase_at(std::uint32_t i, std::vector<std::uint32_t>& pos) {
    pos[heap_[i].slot] = kNoSlot;
    const auto last = static_cast<std::uint32_t>(heap_.size() - 1);
    if (i != last) {
      heap_[i] = heap_[last];
      heap_.pop_back();
      if (!sift_up(i, pos)) sift_down(i, pos);
    } else {
      heap_.pop_back();
    }
  }

 private:
  bool sift_up(std::uint32_t i, std::vector<std::uint32_t>& pos) {
    const Entry entry = heap_[i];
    const std::uint32_t start = i;
    while (i > 0) {
      const std::uint32_t parent = (i - 1) / kArity;
      if (!Before{}(entry, heap_[parent])) break;
      heap_[i] = heap_[parent];
      pos[heap_[i].slot] = i;
      i = parent;
    }
    heap_[i] = entry;
    pos[entry.slot] = i;
    return i != start;
  }

  void sift_down(std::uint32_t i, std::vector<std::uint32_t>& pos) {
    const Entry entry = heap_[i];
    const auto n = static_cast<std::uint32_t>(heap_.size());
    for (;;) {
      const std::uint32_t first = kArity * i + 1;
      if (first >= n) break;
      const std::uint32_t last = first + kArity < n ? first + kArity : n;
      std::uint32_t child = first;
      for (std::uint32_t c = first + 1; c < last; ++c) {
        if (Before{}(heap_[c], heap_[child])) child = c;
      }
      if (!Before{}(heap_[child], entry)) break;
      heap_[i] = heap_[child];
      pos[heap_[i].slot] = i;
      i = child;
    }
    heap_[i] = entry;
    pos[entry.slot] = i;
  }

  static constexpr std::uint32_t kArity = 4;
  std::vector<Entry> heap_;
};

}  // namespace autoglm::sched::detail
