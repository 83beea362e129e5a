#include "core/task.hpp"

#include <algorithm>

namespace autoglm::core {

std::string_view priority_class_name(PriorityClass c) {
  switch (c) {
    case PriorityClass::kCritical: return "critical";
    case PriorityClass::kStandard: return "standard";
    case PriorityClass::kBatch: return "batch";
    case PriorityClass::kSheddable: return "sheddable";
  }
  return "standard";
}

std::optional<PriorityClass> priority_class_from_name(std::string_view name) {
  for (int i = 0; i < kPriorityClassCount; ++i) {
    auto c = static_cast<PriorityClass>(i);
    if (priority_class_name(c) == name) return c;
  }
  return std::nullopt;
}

PriorityClass priority_class_for_level(int level) {
  if (level >= 8) return PriorityClass::kCritical;
  if (level >= 4) return PriorityClass::kStandard;
  if (level >= 2) return PriorityClass::kBatch;
  return PriorityClass::kSheddable;
}

int default_level(PriorityClass c) {
  switch (c) {
    case PriorityClass::kCritical: return 9;
    case PriorityClass::kStandard: return 5;
    case PriorityClass::kBatch: return 3;
    case PriorityClass::kSheddable: return 1;
  }
  return 5;
}

std::string_view latency_class_name(LatencyClass c) {
  return c == LatencyClass::kInteractive ? "interactive" : "batch";
}

std::string_view modality_name(Modality m) {
  switch (m) {
    case Modality::kText: return "text";
    case Modality::kVision: return "vision";
    case Modality::kSpeech: return "speech";
  }
  return "text";
}

std::string_view task_kind_name(TaskKind k) {
  switch (k) {
    case TaskKind::kChat: return "chat";
    case TaskKind::kCompletion: return "completion";
    case TaskKind::kEmbedding: return "embedding";
    case TaskKind::kAsync: return "async";
  }
  return "chat";
}

bool exclude_node(TaskSpec& task, std::uint32_t node, std::size_t node_count) {
  auto& allowed = task.allowed_nodes;
  if (allowed.empty()) {
    for (std::size_t i = 0; i < node_count; ++i) {
      if (i != node) allowed.push_back(static_cast<std::uint32_t>(i));
    }
  } else {
    allowed.erase(std::remove(allowed.begin(), allowed.end(), node), allowed.end());
  }
  return !allowed.empty();
}

}  // namespace autoglm::core
