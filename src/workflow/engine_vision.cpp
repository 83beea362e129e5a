// WorkflowEngine: elastic batching of vision tasks. Claimed vision tasks of one model go
// to one node together, as many as its free GPU memory holds (choose_vision_batch): each
// task of the batch gets that node as its preferred node, and the executor sends them at
// once, so the node's continuous batching runs them side by side.
#include <algorithm>
#include <numeric>

#include "workflow/engine.hpp"

namespace autoglm::workflow {

namespace {

bool is_vision(const ClaimedTask& c) { return c.task.input.modality == "vision"; }

// A DAG node's cache-aware placement hint wins over batching.
bool batchable(const ClaimedTask& c, const std::string& model) {
  return is_vision(c) && c.task.input.model == model && c.preferred_node.empty();
}

VisionItem item_of(const ClaimedTask& c) {
  return {c.task.input.model, c.task.input.priority, images_in_payload(c.task.input.payload), 0};
}

}  // namespace

int StepReport::vision_batched() const {
  return std::accumulate(vision_batches.begin(), vision_batches.end(), 0,
                         [](int n, const VisionBatch& b) { return n + b.size; });
}

void WorkflowEngine::batch_vision(std::vector<ClaimedTask>& claimed, core::Time t,
                                  StepReport& report) {
  if (!options_.vision_nodes) return;
  std::vector<std::string> models;
  for (const auto& c : claimed) {
    const std::string& m = c.task.input.model;
    if (is_vision(c) && std::find(models.begin(), models.end(), m) == models.end()) {
      models.push_back(m);
    }
  }
  for (const auto& model : models) batch_model(claimed, model, t, report);
}

void WorkflowEngine::batch_model(std::vector<ClaimedTask>& claimed, const std::string& model,
                                 core::Time t, StepReport& report) {
  std::vector<NodeMemory> nodes = options_.vision_nodes(model);
  if (nodes.empty()) return;
  std::stable_sort(nodes.begin(), nodes.end(), [](const NodeMemory& a, const NodeMemory& b) {
    return a.free_bytes > b.free_bytes;
  });
  const BatchLimits& limits = options_.vision_batch;
  std::vector<std::size_t> group;  // indices into `claimed`
  std::vector<VisionItem> items;   // group's items, in step
  std::int64_t need = 0;
  for (std::size_t i = 0; i < claimed.size(); ++i) {
    if (!batchable(claimed[i], model)) continue;
    group.push_back(i);
    items.push_back(item_of(claimed[i]));
    need += items.back().images * limits.per_image_bytes;
  }
  // Claim more queued tasks of the model, up to what the roomiest node could still hold
  // (every task has at least one image), so a batch is not cut short by claim_batch.
  const std::int64_t spare = nodes.front().free_bytes - limits.reserve_bytes - need;
  const std::size_t fits = spare > 0 && limits.per_image_bytes > 0
                               ? static_cast<std::size_t>(spare / limits.per_image_bytes)
                               : 0;
  const std::size_t open = limits.max_batch > group.size() ? limits.max_batch - group.size() : 0;
  for (auto& c : claim(t, std::min({room(), fits, open}), {model}, {"vision"})) {
    if (batchable(c, model)) {
      group.push_back(claimed.size());
      items.push_back(item_of(c));
    }
    claimed.push_back(std::move(c));
  }
  for (const auto& node : nodes) {
    if (group.size() < 2) break;
    const std::vector<std::size_t> picked = choose_vision_batch(items, node.free_bytes, limits);
    if (picked.size() < 2) break;  // nodes come roomiest first: the others hold no more
    std::vector<bool> taken(group.size(), false);
    for (std::size_t k : picked) {
      claimed[group[k]].preferred_node = node.id;
      taken[k] = true;
    }
    std::vector<std::size_t> rest;
    std::vector<VisionItem> rest_items;
    for (std::size_t k = 0; k < group.size(); ++k) {
      if (taken[k]) continue;
      rest.push_back(group[k]);
      rest_items.push_back(std::move(items[k]));
    }
    group = std::move(rest);
    items = std::move(rest_items);
    report.vision_batches.push_back({model, node.id, static_cast<int>(picked.size())});
  }
}

}  // namespace autoglm::workflow
