#include "sched/node_table.hpp"

#include <algorithm>
#include <utility>

namespace autoglm::sched {

bool above_memory_threshold(const core::NodeView& node, const policy::Thresholds& thresholds) {
  return node.metrics.mem_util >= 0 && node.metrics.mem_util > thresholds.memory_evacuate;
}

bool accepts_work_if_slot_free(const core::NodeView& node, const policy::Thresholds& thresholds) {
  if (!node.healthy || node.draining) return false;
  if (node.metrics.cpu_util >= 0 && node.metrics.cpu_util > thresholds.cpu_pause) return false;
  return !above_memory_threshold(node, thresholds);
}

bool accepts_work(const core::NodeView& node, const policy::Thresholds& thresholds) {
  if (node.capacity > 0 && node.in_flight >= node.capacity) return false;
  return accepts_work_if_slot_free(node, thresholds);
}

core::NodeIndex NodeTable::add(core::NodeView node) {
  const auto index = static_cast<core::NodeIndex>(nodes_.size());
  node.index = index;
  node.in_flight = 0;  // the core owns the slot accounting
  node.in_flight_tokens = 0;
  node.in_flight_interactive = 0;
  for (const auto& model : node.models) {
    auto& list = by_model_[model];
    if (list.empty() || list.back() != index) list.push_back(index);
  }
  nodes_.push_back(std::move(node));
  return index;
}

const std::vector<core::NodeIndex>* NodeTable::serving(const std::string& model) const {
  auto it = by_model_.find(model);
  return it == by_model_.end() ? nullptr : &it->second;
}

void NodeTable::accepting(const std::string& model, const policy::Thresholds& thresholds,
                          std::vector<core::NodeIndex>& out) const {
  out.clear();
  const auto* all = serving(model);
  if (!all) return;
  for (core::NodeIndex i : *all) {
    if (accepts_work(nodes_[i], thresholds)) out.push_back(i);
  }
}

const std::string* NodeTable::first_model() const {
  for (const auto& node : nodes_) {
    if (!node.models.empty()) return &node.models.front();
  }
  return nullptr;
}

void NodeTable::occupy(core::NodeIndex node, const core::TaskSpec& task) {
  auto& view = nodes_[node];
  ++view.in_flight;
  view.in_flight_tokens += task.input_tokens + task.max_output_tokens;
  if (task.latency == core::LatencyClass::kInteractive) ++view.in_flight_interactive;
}

void NodeTable::release(core::NodeIndex node, const core::TaskSpec& task) {
  auto& view = nodes_[node];
  view.in_flight = std::max(0, view.in_flight - 1);
  view.in_flight_tokens =
      std::max<std::int64_t>(0, view.in_flight_tokens - task.input_tokens - task.max_output_tokens);
  if (task.latency == core::LatencyClass::kInteractive) {
    view.in_flight_interactive = std::max(0, view.in_flight_interactive - 1);
  }
}

}  // namespace autoglm::sched
