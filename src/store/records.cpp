#include "store/records.hpp"

#include <array>
#include <charconv>

#include "store/row_mapping.hpp"
#include "store/store.hpp"

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

core::Result<std::optional<TaskId>> page_start(const TaskQuery& query) {
  if (query.limit == 0 || query.limit > 1000) {
    return core::invalid_argument("limit must be between 1 and 1000", "limit");
  }
  if (query.cursor.empty()) return std::optional<TaskId>();
  auto before = decode_cursor(query.cursor);
  if (!before) {
    return core::invalid_argument(
        "cursor is not one this server returned; pass a next_cursor from a previous page",
        "cursor");
  }
  return before;
}

namespace {

template <class Row>
std::string trim_page(std::vector<Row>& rows, std::size_t limit) {
  if (rows.size() <= limit) return {};
  rows.resize(limit);
  return encode_cursor(rows.back().id);
}

}  // namespace

void finish_page(TaskPage& page, std::size_t limit) {
  page.next_cursor = trim_page(page.tasks, limit);
}

void finish_page(DagRunPage& page, std::size_t limit) {
  page.next_cursor = trim_page(page.runs, limit);
}

core::Status no_task(TaskId id) {
  return core::not_found("no task with id " + std::to_string(id), "id");
}

FailureOutcome after_failure(const TaskRecord& task, const TaskFailure& failure, Time now) {
  FailureOutcome out;
  out.failures = task.failures + 1;
  out.retry = failure.retryable && out.failures <= task.input.max_retries;
  if (out.retry) {
    out.run_after = now + retry_delay(task.input.backoff, out.failures);
    out.detail = "retry " + std::to_string(out.failures) + " of " +
                 std::to_string(task.input.max_retries) + " after: " + failure.error;
  } else {
    out.detail = failure.error;
  }
  return out;
}

}  // namespace rows

}  // namespace autoglm::store
