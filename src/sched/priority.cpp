#include "sched/priority.hpp"

#include <chrono>
#include <limits>

namespace autoglm::sched {

namespace {
double seconds(core::Time t) { return std::chrono::duration<double>(t).count(); }
}  // namespace

double base_priority(const TaskSpec& task, const SchedulerOptions& options) {
  const auto c = static_cast<std::size_t>(task.priority_class);
  return options.class_weight[c] + options.level_weight * task.priority_level +
         (task.latency == core::LatencyClass::kInteractive ? options.interactive_bonus : 0.0);
}

double effective_priority(const TaskSpec& task, core::Time arrival, core::Time now,
                          const SchedulerOptions& options) {
  return base_priority(task, options) + options.aging_per_second * seconds(now - arrival);
}

double priority_key(const TaskSpec& task, core::Time arrival, const SchedulerOptions& options) {
  return base_priority(task, options) - options.aging_per_second * seconds(arrival);
}

double seconds_to_outrank(double low, double high, const SchedulerOptions& options) {
  if (low > high) return 0;
  if (options.aging_per_second <= 0) return std::numeric_limits<double>::infinity();
  return (high - low) / options.aging_per_second;
}

}  // namespace autoglm::sched
