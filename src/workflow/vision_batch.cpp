#include "workflow/vision_batch.hpp"

#include <algorithm>
#include <numeric>

namespace autoglm::workflow {

std::vector<std::size_t> choose_vision_batch(std::span<const VisionItem> queued,
                                             std::int64_t free_bytes, const BatchLimits& limits) {
  std::vector<std::size_t> order(queued.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return queued[a].priority > queued[b].priority;
  });
  std::vector<std::size_t> batch;
  if (order.empty()) return batch;
  const std::string& model = queued[order.front()].model;
  std::int64_t budget = free_bytes - limits.reserve_bytes;
  for (std::size_t i : order) {
    if (batch.size() >= limits.max_batch) break;
    const auto& item = queued[i];
    if (item.model != model) continue;
    const std::int64_t need = item.bytes_estimate > 0
                                  ? item.bytes_estimate
                                  : std::max<std::int64_t>(1, item.images) * limits.per_image_bytes;
    if (need > budget) break;
    budget -= need;
    batch.push_back(i);
  }
  return batch;
}

}  // namespace autoglm::workflow
