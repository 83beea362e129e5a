// Effective priority of queued work, and the static key the ready queue orders by.
// Pure functions of the task, its arrival time and the options.
#pragma once

#include "core/clock.hpp"
#include "core/task.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::sched {

// class_weight[class] + level_weight * level + (interactive ? interactive_bonus : 0).
double base_priority(const TaskSpec& task, const SchedulerOptions& options);

// base + aging_per_second * seconds waited since `arrival`, at `now`.
double effective_priority(const TaskSpec& task, core::Time arrival, core::Time now,
                          const SchedulerOptions& options);

// The ready queue's static key: base - aging_per_second * arrival (in seconds). Aging is
// linear and the same for every task, so effective(a) > effective(b) at any `now` exactly
// when key(a) > key(b): the order never changes while tasks wait and needs no re-sorting.
double priority_key(const TaskSpec& task, core::Time arrival, const SchedulerOptions& options);

// How long a task of base priority `low` must wait to outrank a fresh task of base
// priority `high` (zero when it already does; infinite when aging is off).
double seconds_to_outrank(double low, double high, const SchedulerOptions& options);

}  // namespace autoglm::sched
