#include "agent/backoff.hpp"

#include <gtest/gtest.h>

namespace autoglm::agent {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesWithJitterUpToTheMax) {
  Backoff b(milliseconds(100), milliseconds(1000), 42);
  core::Duration ceilings[] = {milliseconds(100), milliseconds(200),  milliseconds(400),
                               milliseconds(800), milliseconds(1000), milliseconds(1000)};
  for (auto ceiling : ceilings) {
    auto d = b.next();
    EXPECT_GE(d, ceiling / 2);
    EXPECT_LE(d, ceiling);
  }
  b.reset();
  EXPECT_LE(b.next(), milliseconds(100));
}

TEST(Backoff, SameSeedSameDelays) {
  Backoff a(milliseconds(10), milliseconds(10000), 7);
  Backoff b(milliseconds(10), milliseconds(10000), 7);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(), b.next());
}

TEST(Backoff, ManyAttemptsDoNotOverflow) {
  Backoff b(milliseconds(1), milliseconds(5000), 1);
  for (int i = 0; i < 200; ++i) {
    auto d = b.next();
    EXPECT_LE(d, milliseconds(5000));
    EXPECT_GT(d, core::Duration::zero());
  }
}

}  // namespace
}  // namespace autoglm::agent
