#include "policy/filters/batch_lane.hpp"

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

bool is_batch_work(const TaskSpec& task) {
  return task.latency == core::LatencyClass::kBatch ||
         task.priority_class == core::PriorityClass::kBatch ||
         task.priority_class == core::PriorityClass::kSheddable;
}

inline bool has_batch_room(const NodeView& node, double reserve) {
  if (node.capacity > 0) return node.in_flight < node.capacity * (1.0 - reserve);
  return node.metrics.backend_waiting <= 0;  // unbounded node: only while nothing queues there
}

}  // namespace

void BatchLaneFilter::apply(const TaskSpec& task, std::span<const NodeView> nodes,
                            std::vector<NodeIndex>& candidates, const Context& ctx) const {
  if (!is_batch_work(task)) return;
  const double reserve = ctx.thresholds->batch_reserve;
  keep_if(candidates, nodes, [&](const NodeView& node) { return has_batch_room(node, reserve); });
}

bool BatchLaneFilter::allows(const TaskSpec& task, const NodeView& node, const Context& ctx) const {
  return !is_batch_work(task) || has_batch_room(node, ctx.thresholds->batch_reserve);
}

}  // namespace autoglm::policy
