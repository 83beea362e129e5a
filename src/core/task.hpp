// TaskSpec: what the scheduler knows about one unit of work (a request or an async task),
// produced by parse/ and consumed by sched/ and policy/. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace autoglm::core {

using TaskId = std::uint64_t;

// Priority classes, most important first. A numeric priority 0-9 (9 highest) maps onto
// them: 8-9 critical, 4-7 standard, 2-3 batch, 0-1 sheddable.
enum class PriorityClass : std::uint8_t { kCritical = 0, kStandard, kBatch, kSheddable };
inline constexpr int kPriorityClassCount = 4;

enum class LatencyClass : std::uint8_t { kInteractive, kBatch };
enum class Modality : std::uint8_t { kText, kVision, kSpeech };
enum class TaskKind : std::uint8_t { kChat, kCompletion, kEmbedding, kAsync };

std::string_view priority_class_name(PriorityClass c);
std::optional<PriorityClass> priority_class_from_name(std::string_view name);
// The class a numeric priority (0-9) belongs to.
PriorityClass priority_class_for_level(int level);
// The default numeric level of a class (critical 9, standard 5, batch 3, sheddable 1).
int default_level(PriorityClass c);

std::string_view latency_class_name(LatencyClass c);
std::string_view modality_name(Modality m);
std::string_view task_kind_name(TaskKind k);

struct TaskSpec {
  TaskId id = 0;
  TaskKind kind = TaskKind::kChat;
  std::string model;
  std::string tenant;                  // "" for the default tenant
  std::int64_t input_tokens = 0;       // estimated prompt size
  std::int64_t max_output_tokens = 0;  // requested, or the model's default
  Modality modality = Modality::kText;
  PriorityClass priority_class = PriorityClass::kStandard;
  int priority_level = 5;  // 0-9, 9 most important
  LatencyClass latency = LatencyClass::kInteractive;
  std::optional<Duration> deadline;  // relative to arrival, from x-autoglm-deadline-ms
  bool stream = false;
  bool preemptible = false;  // async work that may be cancelled and requeued
  // Chained hashes of fixed-size chunks of the prompt, first chunk first: equal prefixes
  // give equal leading hashes (see parse/prefix_hash.hpp).
  std::vector<std::uint64_t> prefix_hashes;
  // Node indices the task may run on, ascending (a canary route's subset, see
  // routing/router.hpp); empty: every node that serves the model.
  std::vector<std::uint32_t> allowed_nodes;
  // A placement hint (x-autoglm-prefer-node): the node that ran this DAG task's upstream
  // task, whose KV cache holds the prompt's prefix. prefix_affinity scores it as a full
  // match, so it wins unless the balance guard finds it overloaded.
  std::optional<std::uint32_t> preferred_node;
};

// Keeps `task` off node `node` of `node_count` (a retry or a resumed stream must not go
// back to the node that just failed it); false when no other node is allowed.
bool exclude_node(TaskSpec& task, std::uint32_t node, std::size_t node_count);

}  // namespace autoglm::core
