#include "store/records.hpp"

#include <array>
#include <charconv>

#include "store/row_mapping.hpp"

namespace autoglm::store {
namespace {
constexpr std::array<std::string_view, 7> kStateNames = {
    "pending", "queued", "running", "succeeded", "failed", "skipped", "cancelled"};
}  // namespace

std::string_view task_state_name(TaskState s) { return kStateNames[static_cast<std::size_t>(s)]; }

std::optional<TaskState> task_state_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<TaskState>(i);
  }
  return std::nullopt;
}

bool is_terminal(TaskState s) {
  return s == TaskState::kSucceeded || s == TaskState::kFailed || s == TaskState::kSkipped ||
         s == TaskState::kCancelled;
}

std::string_view trigger_kind_name(TriggerKind k) {
  return k == TriggerKind::kCron ? "cron" : "event";
}

namespace rows {

std::string encode_cursor(TaskId last) { return "c" + std::to_string(last); }

std::optional<TaskId> decode_cursor(std::string_view cursor) {
  if (cursor.size() < 2 || cursor[0] != 'c') return std::nullopt;
  TaskId id = 0;
  auto [p, ec] = std::from_chars(cursor.data() + 1, cursor.data() + cursor.size(), id);
  if (ec != std::errc() || p != cursor.data() + cursor.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace rows

}  // namespace autoglm::store
