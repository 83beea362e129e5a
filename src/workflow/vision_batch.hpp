// Elastic batching for vision tasks: how many queued image tasks of one model a node can
// take at once, from its free GPU memory. Pure functions; the WorkflowEngine claims what
// they pick and sends the batch to that node together (engine_vision.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
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

// A node serving a model, with its free GPU memory as monitoring last reported it.
struct NodeMemory {
  std::string id;
  std::int64_t free_bytes = 0;
};

// The images a task's payload holds: a vision step's "image_url" (1) or "images" (their
// number), plus the image_url parts of chat messages; at least 1.
std::int64_t images_in_payload(std::string_view payload_json);

// Indices into `queued` forming the batch: the model of the most important item (highest
// priority, then earliest), then items of that model in that order while their memory
// fits into free_bytes - reserve_bytes. Stops at the first item that does not fit, so a
// large image is never starved by smaller ones behind it. Empty when even the first
// does not fit.
std::vector<std::size_t> choose_vision_batch(std::span<const VisionItem> queued,
                                             std::int64_t free_bytes,
                                             const BatchLimits& limits = {});

}  // namespace autoglm::workflow
