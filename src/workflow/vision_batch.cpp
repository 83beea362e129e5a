#include "workflow/vision_batch.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <numeric>

namespace autoglm::workflow {

namespace json = boost::json;

namespace {

std::int64_t image_parts(const json::value& messages) {
  std::int64_t n = 0;
  const auto* list = messages.if_array();
  if (list == nullptr) return 0;
  for (const auto& m : *list) {
    const auto* msg = m.if_object();
    const auto* content = msg ? msg->if_contains("content") : nullptr;
    const auto* parts = content ? content->if_array() : nullptr;
    if (parts == nullptr) continue;
    for (const auto& p : *parts) {
      const auto* part = p.if_object();
      const auto* type = part ? part->if_contains("type") : nullptr;
      if (type && type->is_string() && type->get_string() == "image_url") ++n;
    }
  }
  return n;
}

}  // namespace

std::int64_t images_in_payload(std::string_view payload_json) {
  boost::system::error_code ec;
  const json::value doc = json::parse(payload_json, ec);
  if (ec || !doc.is_object()) return 1;
  const auto& o = doc.as_object();
  std::int64_t n = 0;
  if (const auto* url = o.if_contains("image_url"); url && url->is_string()) ++n;
  if (const auto* images = o.if_contains("images"); images && images->is_array()) {
    n += static_cast<std::int64_t>(images->get_array().size());
  }
  if (const auto* messages = o.if_contains("messages")) n += image_parts(*messages);
  return std::max<std::int64_t>(1, n);
}

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
