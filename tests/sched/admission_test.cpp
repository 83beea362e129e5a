#include "sched/admission.hpp"

#include <gtest/gtest.h>

namespace autoglm::sched {
namespace {

using core::PriorityClass;
using Counts = std::array<std::size_t, kClasses>;

SchedulerOptions small_bounds() {
  SchedulerOptions o;
  o.queue_bound = {3, 3, 3, 3};
  o.total_queue_bound = 4;
  return o;
}

TEST(Admission, AdmitsWhileThereIsRoom) {
  EXPECT_EQ(admit(PriorityClass::kStandard, Counts{1, 1, 1, 0}, small_bounds()).verdict,
            AdmissionVerdict::kAdmit);
}

TEST(Admission, AFullClassRejectsEvenWhenLowerClassesWait) {
  EXPECT_EQ(admit(PriorityClass::kStandard, Counts{0, 3, 0, 1}, small_bounds()).verdict,
            AdmissionVerdict::kRejectClassFull);
}

TEST(Admission, AFullTotalShedsSheddableFirstThenBatch) {
  auto a = admit(PriorityClass::kStandard, Counts{0, 1, 2, 1}, small_bounds());
  EXPECT_EQ(a.verdict, AdmissionVerdict::kShed);
  EXPECT_EQ(a.shed_class, PriorityClass::kSheddable);
  a = admit(PriorityClass::kCritical, Counts{1, 1, 2, 0}, small_bounds());
  EXPECT_EQ(a.verdict, AdmissionVerdict::kShed);
  EXPECT_EQ(a.shed_class, PriorityClass::kBatch);
}

TEST(Admission, ShedsOnlyStrictlyLowerClassesAndNeverStandardWork) {
  EXPECT_EQ(admit(PriorityClass::kBatch, Counts{0, 1, 3, 0}, small_bounds()).verdict,
            AdmissionVerdict::kRejectClassFull);
  EXPECT_EQ(admit(PriorityClass::kBatch, Counts{1, 1, 2, 0}, small_bounds()).verdict,
            AdmissionVerdict::kRejectTotalFull);
  EXPECT_EQ(admit(PriorityClass::kSheddable, Counts{0, 1, 1, 2}, small_bounds()).verdict,
            AdmissionVerdict::kRejectTotalFull);
  EXPECT_EQ(admit(PriorityClass::kCritical, Counts{2, 2, 0, 0}, small_bounds()).verdict,
            AdmissionVerdict::kRejectTotalFull);
  auto a = admit(PriorityClass::kBatch, Counts{0, 1, 2, 1}, small_bounds());
  EXPECT_EQ(a.verdict, AdmissionVerdict::kShed);
  EXPECT_EQ(a.shed_class, PriorityClass::kSheddable);
}

}  // namespace
}  // namespace autoglm::sched
