#include "policy/scorers/prefix_index.hpp"

#include <algorithm>

namespace autoglm::policy {

PrefixIndex::PrefixIndex(std::size_t blocks_per_node)
    : capacity_(std::max<std::size_t>(1, blocks_per_node)) {}

void PrefixIndex::insert(core::NodeIndex node, std::span<const std::uint64_t> hashes) {
  if (hashes.empty()) return;
  if (node >= nodes_.size()) nodes_.resize(static_cast<std::size_t>(node) + 1);
  NodeLru& lru = nodes_[node];
  for (auto it = hashes.rbegin(); it != hashes.rend(); ++it) touch(node, lru, *it);
}

void PrefixIndex::touch(core::NodeIndex node, NodeLru& lru, std::uint64_t hash) {
  if (auto found = lru.where.find(hash); found != lru.where.end()) {
    if (lru.head != found->second) {
      unlink(lru, found->second);
      link_front(lru, found->second);
    }
    return;
  }
  std::uint32_t s;
  if (lru.slots.size() < capacity_) {
    s = static_cast<std::uint32_t>(lru.slots.size());
    lru.slots.emplace_back();
  } else {
    s = lru.tail;
    const std::uint64_t old = lru.slots[s].hash;
    unlink(lru, s);
    lru.where.erase(old);
    drop_holder(old, node);
  }
  lru.slots[s].hash = hash;
  link_front(lru, s);
  lru.where.emplace(hash, s);
  holders_[hash].push_back(node);
}

void PrefixIndex::unlink(NodeLru& lru, std::uint32_t s) {
  Slot& slot = lru.slots[s];
  if (slot.prev != kNil)
    lru.slots[slot.prev].next = slot.next;
  else
    lru.head = slot.next;
  if (slot.next != kNil)
    lru.slots[slot.next].prev = slot.prev;
  else
    lru.tail = slot.prev;
  slot.prev = slot.next = kNil;
}

void PrefixIndex::link_front(NodeLru& lru, std::uint32_t s) {
  Slot& slot = lru.slots[s];
  slot.prev = kNil;
  slot.next = lru.head;
  if (lru.head != kNil) lru.slots[lru.head].prev = s;
  lru.head = s;
  if (lru.tail == kNil) lru.tail = s;
}

void PrefixIndex::drop_holder(std::uint64_t hash, core::NodeIndex node) {
  auto it = holders_.find(hash);
  if (it == holders_.end()) return;
  auto& v = it->second;
  if (auto pos = std::find(v.begin(), v.end(), node); pos != v.end()) {
    *pos = v.back();
    v.pop_back();
  }
  if (v.empty()) holders_.erase(it);
}

void PrefixIndex::match(std::span<const std::uint64_t> hashes, std::vector<std::uint32_t>& matched,
                        std::vector<core::NodeIndex>& touched) const {
  for (std::uint32_t depth = 0; depth < hashes.size(); ++depth) {
    const auto it = holders_.find(hashes[depth]);
    if (it == holders_.end()) return;
    bool advanced = false;
    for (const core::NodeIndex n : it->second) {
      if (matched[n] != depth) continue;  // this node broke the chain earlier
      if (depth == 0) touched.push_back(n);
      matched[n] = depth + 1;
      advanced = true;
    }
    if (!advanced) return;
  }
}

void PrefixIndex::erase_node(core::NodeIndex node) {
  if (node >= nodes_.size()) return;
  NodeLru& lru = nodes_[node];
  for (const auto& [hash, slot] : lru.where) drop_holder(hash, node);
  lru = NodeLru{};
}

std::size_t PrefixIndex::blocks(core::NodeIndex node) const {
  return node < nodes_.size() ? nodes_[node].where.size() : 0;
}

bool PrefixIndex::holds(core::NodeIndex node, std::uint64_t hash) const {
  return node < nodes_.size() && nodes_[node].where.contains(hash);
}

}  // namespace autoglm::policy
