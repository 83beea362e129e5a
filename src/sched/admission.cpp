#include "sched/admission.hpp"

#include <numeric>

namespace autoglm::sched {

using core::PriorityClass;

Admission admit(PriorityClass incoming, const std::array<std::size_t, kClasses>& queued,
                const SchedulerOptions& options) {
  const auto c = static_cast<std::size_t>(incoming);
  if (queued[c] >= options.queue_bound[c]) return {AdmissionVerdict::kRejectClassFull};
  const std::size_t total = std::accumulate(queued.begin(), queued.end(), std::size_t{0});
  if (total < options.total_queue_bound) return {AdmissionVerdict::kAdmit};
  for (PriorityClass victim : {PriorityClass::kSheddable, PriorityClass::kBatch}) {
    if (victim <= incoming) break;
    if (queued[static_cast<std::size_t>(victim)] > 0) return {AdmissionVerdict::kShed, victim};
  }
  return {AdmissionVerdict::kRejectTotalFull};
}

}  // namespace autoglm::sched
