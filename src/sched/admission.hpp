// Admission to the ready queue: whether a task that cannot run now may wait, must be
// turned away, or may wait in the place of less important queued work (shedding).
// Pure function of the queue's per-class counts and the options.
#pragma once

#include <array>
#include <cstddef>

#include "core/task.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::sched {

enum class AdmissionVerdict {
  kAdmit,            // room in its class and in the total
  kShed,             // the total is full: shed the newest task of `shed_class`, then admit
  kRejectClassFull,  // its own class is at queue_bound[class]
  kRejectTotalFull,  // the total is full and no lower sheddable class has queued work
};

struct Admission {
  AdmissionVerdict verdict = AdmissionVerdict::kAdmit;
  core::PriorityClass shed_class = core::PriorityClass::kSheddable;  // for kShed
};

// Rules:
// - a class at its own bound rejects: shedding other classes would not make room in it;
// - a full total sheds queued work of a strictly lower class, sheddable first, then batch
//   (critical and standard work is never shed), else rejects.
Admission admit(core::PriorityClass incoming, const std::array<std::size_t, kClasses>& queued,
                const SchedulerOptions& options);

}  // namespace autoglm::sched
