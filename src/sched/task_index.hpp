// TaskId -> slot map for the ready queue: open addressing with linear probing and
// backward-shift deletion, so insert and erase never allocate once the table has grown
// (std::unordered_map allocates a node per insert, a third of a queue push's time).
// Not thread-safe; owned by its ReadyQueue.
#pragma once

#include <cstdint>
#include <vector>

#include "core/task.hpp"

namespace autoglm::sched::detail {

class TaskIndex {
 public:
  static constexpr std::uint32_t kMissing = 0xffffffffu;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  std::uint32_t find(core::TaskId id) const {
    if (cells_.empty()) return kMissing;
    for (std::size_t i = home(id);; i = (i + 1) & mask_) {
      const Cell& c = cells_[i];
      if (c.slot == kMissing) return kMissing;
      if (c.id == id) return c.slot;
    }
  }

  // REQUIRES: id is not present.
  void insert(core::TaskId id, std::uint32_t slot) {
    if ((size_ + 1) * 4 > cells_.size() * 3) grow();
    std::size_t i = home(id);
    while (cells_[i].slot != kMissing) i = (i + 1) & mask_;
    cells_[i] = Cell{id, slot};
    ++size_;
  }

  // Returns false when the id was not present.
  bool erase(core::TaskId id) {
    if (cells_.empty()) return false;
    std::size_t i = home(id);
    for (;; i = (i + 1) & mask_) {
      if (cells_[i].slot == kMissing) return false;
      if (cells_[i].id == id) break;
    }
    // Backward shift: pull later cells of the probe run into the hole when their home
    // position allows it, so lookups never need tombstones.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_; cells_[j].slot != kMissing; j = (j + 1) & mask_) {
      const std::size_t h = home(cells_[j].id);
      const bool movable = ((j - h) & mask_) >= ((j - hole) & mask_);
      if (movable) {
        cells_[hole] = cells_[j];
        hole = j;
      }
    }
    cells_[hole].slot = kMissing;
    --size_;
    return true;
  }

 private:
  struct Cell {
    core::TaskId id = 0;
    std::uint32_t slot = kMissing;
  };

  std::size_t home(core::TaskId id) const {
    return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_) & mask_;
  }

  void grow() {
    std::vector<Cell> old = std::move(cells_);
    const std::size_t capacity = old.empty() ? 64 : old.size() * 2;
    cells_.assign(capacity, Cell{});
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    size_ = 0;
    for (const Cell& c : old) {
      if (c.slot != kMissing) insert(c.id, c.slot);
    }
  }

  std::vector<Cell> cells_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace autoglm::sched::detail
