// Elastic batching for vision tasks: how many queued image tasks of one model a node can
// take at once, from its free GPU memory. Pure function; the caller claims what it picks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace autoglm::workflow {

struct VisionItem {
  std::string model;
  int priority = 3;                 // 0-9
  std::int64_t images = 1;          // images in the request
  std::int64_t bytes_estimate = 0;  // GPU memory it needs; 0 to use images * per_image_bytes
};

struct BatchLimits {
  std::int64_t per_image_bytes = 256LL << 20;  // activations + vision encoder output per image
  std::int64_t reserve_bytes = 1LL << 30;      // headroom left free on the node
  std::size_t max_batch = 32;
};

// Indices into `queued` forming the batch: the model of the most important item (highest
// priority, then earliest), then items of that model in that order while their memory
// fits into free_bytes - reserve_bytes. Stops at the first item that does not fit, so a
// large image is never starved by smaller ones behind it. Empty when even the first
// does not fit.
std::vector<std::size_t> choose_vision_batch(std::span<const VisionItem> queued,
                                             std::int64_t free_bytes,
                                             const BatchLimits& limits = {});

}  // namespace autoglm::workflow
