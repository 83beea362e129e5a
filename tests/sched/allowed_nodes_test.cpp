// TaskSpec::allowed_nodes (a canary route's subset): the core places a task only there,
// whatever the policy prefers, now or from the queue.
#include <gtest/gtest.h>

#include "sched/scheduler.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using namespace testing;
using V = std::vector<TaskId>;

TaskSpec restricted(TaskId id, std::vector<std::uint32_t> allowed) {
  TaskSpec t = task(id);
  t.allowed_nodes = std::move(allowed);
  return t;
}

TEST(AllowedNodes, PlacesOnlyOnAllowedNodes) {
  Harness h;  // first_fit would pick node 0
  h.add("v1-a", 4);
  h.add("v2-a", 4);
  auto a = h.submit(restricted(1, {1}));
  ASSERT_EQ(a.dispatch.size(), 1u);
  EXPECT_EQ(a.dispatch[0].node, 1u);
  // Unrestricted work still goes anywhere.
  a = h.submit(task(2));
  ASSERT_EQ(a.dispatch.size(), 1u);
  EXPECT_EQ(a.dispatch[0].node, 0u);
}

TEST(AllowedNodes, WaitsForItsSubsetInsteadOfUsingAnother) {
  Harness h;
  h.add("v1", 4);
  h.add("v2", 1);
  EXPECT_EQ(placed(h.submit(restricted(1, {1}))), V{1});
  EXPECT_TRUE(h.submit(restricted(2, {1})).empty()) << "v2 is full; v1 must not take it";
  auto a = h.finish(1);
  ASSERT_EQ(placed(a), V{2});
  EXPECT_EQ(a.dispatch[0].node, 1u);
}

}  // namespace
}  // namespace autoglm::sched
