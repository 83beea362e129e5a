// The workflow service's view of the nodes for elastic vision batching: free GPU memory
// of the nodes taking work that serve the model, from what monitoring reported.
#include "api/workflow_service.hpp"

#include <gtest/gtest.h>

namespace autoglm::api {
namespace {

monitor::NodeReport node(std::string id, std::vector<std::string> models, double used, double total,
                         bool accepts = true) {
  monitor::NodeReport r;
  r.spec.id = std::move(id);
  r.spec.models = std::move(models);
  r.metrics.gpu_mem_used = used;
  r.metrics.gpu_mem_total = total;
  r.accepts_work = accepts;
  return r;
}

TEST(VisionNodes, FreeMemoryOfTheNodesServingTheModelThatReportIt) {
  const double gib = 1LL << 30;
  std::vector<monitor::NodeReport> nodes{
      node("a", {"vit", "llm"}, 60 * gib, 80 * gib),
      node("b", {"llm"}, 10 * gib, 80 * gib),        // another model
      node("c", {"vit"}, -1, -1),                    // no agent: memory unknown
      node("d", {"vit"}, 1 * gib, 80 * gib, false),  // draining or down
      node("e", {"vit"}, 0, 48 * gib)};
  auto out = vision_nodes_from(nodes, "vit");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, "a");
  EXPECT_EQ(out[0].free_bytes, 20LL << 30);
  EXPECT_EQ(out[1].id, "e");
  EXPECT_EQ(out[1].free_bytes, 48LL << 30);
  EXPECT_TRUE(vision_nodes_from(nodes, "whisper").empty());
}

}  // namespace
}  // namespace autoglm::api
