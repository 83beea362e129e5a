// PrefixIndex: which nodes probably hold which prompt-prefix blocks in their KV cache, as
// the gateway last sent them (an approximation, like SGLang's router tree: it assumes a
// node keeps what it was sent until its bounded LRU forgets it).
// Two views of the same facts: per node, an LRU of block hashes bounded to
// `blocks_per_node`; per block hash, the nodes holding it, so matching a task touches only
// the nodes that share its first block, never every node.
// Not thread-safe: owned by one prefix_affinity scorer on the scheduler strand.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/node_view.hpp"

namespace autoglm::policy {

class PrefixIndex {
 public:
  explicit PrefixIndex(std::size_t blocks_per_node);

  // Records that `node` now holds `hashes` (chained block hashes, first block first) as its
  // most recently used blocks, evicting its least recently used ones past the bound. Blocks
  // are touched last-to-first, so a chain's first block is the last of it to be evicted.
  void insert(core::NodeIndex node, std::span<const std::uint64_t> hashes);

  // For every node that holds hashes[0], sets matched[node] to the number of leading hashes
  // it holds and appends the node to `touched`.
  // REQUIRES: matched.size() >= node_slots() and matched[n] == 0 for every n.
  void match(std::span<const std::uint64_t> hashes, std::vector<std::uint32_t>& matched,
             std::vector<core::NodeIndex>& touched) const;

  // Forgets everything about `node`.
  void erase_node(core::NodeIndex node);

  std::size_t blocks_per_node() const { return capacity_; }
  std::size_t node_slots() const { return nodes_.size(); }  // 1 + the largest node seen
  std::size_t blocks(core::NodeIndex node) const;           // blocks `node` holds now
  bool holds(core::NodeIndex node, std::uint64_t hash) const;

 private:
  static constexpr std::uint32_t kNil = 0xffffffffu;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t prev = kNil;  // towards most recently used
    std::uint32_t next = kNil;  // towards least recently used
  };
  struct NodeLru {
    std::vector<Slot> slots;
    std::uint32_t head = kNil;  // most recently used
    std::uint32_t tail = kNil;  // least recently used
    std::unordered_map<std::uint64_t, std::uint32_t> where;
  };

  void touch(core::NodeIndex node, NodeLru& lru, std::uint64_t hash);
  static void unlink(NodeLru& lru, std::uint32_t s);
  static void link_front(NodeLru& lru, std::uint32_t s);
  void drop_holder(std::uint64_t hash, core::NodeIndex node);

  std::size_t capacity_;
  std::vector<NodeLru> nodes_;
  std::unordered_map<std::uint64_t, std::vector<core::NodeIndex>> holders_;
};

}  // namespace autoglm::policy
