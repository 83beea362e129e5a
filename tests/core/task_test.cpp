// TaskSpec helpers: keeping a task off a node that failed it.
#include "core/task.hpp"

#include <gtest/gtest.h>

namespace autoglm::core {
namespace {

using Nodes = std::vector<std::uint32_t>;

TEST(ExcludeNode, AnUnrestrictedTaskMayGoAnywhereButTheFailedNode) {
  TaskSpec task;
  EXPECT_TRUE(exclude_node(task, 1, 3));
  EXPECT_EQ(task.allowed_nodes, (Nodes{0, 2}));
}

TEST(ExcludeNode, ARestrictedTaskLosesOnlyTheFailedNode) {
  TaskSpec task;
  task.allowed_nodes = {2, 4};
  EXPECT_TRUE(exclude_node(task, 4, 6));
  EXPECT_EQ(task.allowed_nodes, (Nodes{2}));
  EXPECT_FALSE(exclude_node(task, 2, 6));  // nothing left
  EXPECT_TRUE(task.allowed_nodes.empty());
}

TEST(ExcludeNode, TheOnlyNodeCannotBeExcluded) {
  TaskSpec task;
  EXPECT_FALSE(exclude_node(task, 0, 1));
}

}  // namespace
}  // namespace autoglm::core
