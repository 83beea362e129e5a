// Elastic batching of vision tasks in the engine: queued vision tasks of one model go to
// one node together, as many as its free GPU memory holds, through their preferred node.
#include <map>

#include "engine_test_support.hpp"

namespace autoglm::workflow::testing {
namespace {

constexpr std::int64_t kGiB = 1LL << 30;
constexpr std::int64_t kMiB = 1LL << 20;

std::string vision_body(const std::string& model, int images = 1) {
  std::string list;
  for (int i = 0; i < images; ++i)
    list += (i ? ", " : "") + ("\"s3://cams/" + std::to_string(i) + ".jpg\"");
  return R"({"kind": "image_classification", "model": ")" + model +
         R"(", "payload": {"images": [)" + list + "]}}";
}

class VisionBatchTest : public EngineTest {
 protected:
  // An engine whose nodes report `nodes` free memory for every model.
  std::unique_ptr<WorkflowEngine> engine_with(std::vector<NodeMemory> nodes,
                                              std::size_t claim_batch = 16) {
    EngineOptions opts;
    opts.owner = "batcher";
    opts.claim_batch = claim_batch;
    opts.vision_nodes = [this, nodes](const std::string& model) {
      asked.push_back(model);
      return nodes;
    };
    return std::make_unique<WorkflowEngine>(*store_, exec_, clock_, opts);
  }
  std::vector<std::string> pinned() const {
    std::vector<std::string> out;
    for (const auto& c : exec_.calls) out.push_back(c.task.preferred_node);
    return out;
  }
  std::vector<std::string> asked;
};

// 256 MiB per image and a 1 GiB reserve (BatchLimits' defaults).
std::int64_t room_for(int images) { return kGiB + images * 256 * kMiB; }

TEST_F(VisionBatchTest, QueuedVisionTasksOfOneModelGoToOneNodeTogether) {
  auto engine = engine_with({{"node-small", room_for(1)}, {"node-big", room_for(8)}});
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(engine->submit_task(vision_body("vit"), {}));
  ASSERT_TRUE(engine->submit_task(chat_body("not an image"), {}));
  auto report = engine->step();
  EXPECT_EQ(report.dispatched, 5);
  EXPECT_EQ(report.vision_batches.size(), 1u);
  EXPECT_EQ(report.vision_batched(), 4);
  int on_big = 0;
  for (const auto& c : exec_.calls) {
    if (c.task.task.input.modality == "vision") {
      EXPECT_EQ(c.task.preferred_node, "node-big");
      ++on_big;
    } else {
      EXPECT_EQ(c.task.preferred_node, "");  // text work is placed by the scheduler alone
    }
  }
  EXPECT_EQ(on_big, 4);
  EXPECT_EQ(asked, std::vector<std::string>{"vit"});
}

TEST_F(VisionBatchTest, TheBatchIsSizedFromEachNodesFreeMemory) {
  // Room for 3 images on one node and 2 on the other: 5 tasks make a batch of 3 and one of
  // 2; the sixth goes out on its own.
  auto engine = engine_with({{"node-a", room_for(2)}, {"node-b", room_for(3)}});
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(engine->submit_task(vision_body("vit"), {}));
  auto report = engine->step();
  EXPECT_EQ(report.dispatched, 6);
  ASSERT_EQ(report.vision_batches.size(), 2u);  // the roomiest node's first
  EXPECT_EQ(report.vision_batches[0].node, "node-b");
  EXPECT_EQ(report.vision_batches[0].size, 3);
  EXPECT_EQ(report.vision_batches[1].node, "node-a");
  EXPECT_EQ(report.vision_batches[1].model, "vit");
  EXPECT_EQ(report.vision_batched(), 5);
  std::map<std::string, int> per_node;
  for (const auto& node : pinned()) ++per_node[node];
  EXPECT_EQ(per_node["node-b"], 3);
  EXPECT_EQ(per_node["node-a"], 2);
  EXPECT_EQ(per_node[""], 1);
}

TEST_F(VisionBatchTest, ImagesPerTaskCountAgainstTheMemory) {
  // Room for 4 images: a 3-image task and a 1-image task fill it; the next 3-image task
  // goes out on its own.
  auto engine = engine_with({{"node-a", room_for(4)}});
  ASSERT_TRUE(engine->submit_task(vision_body("vit", 3), {}));
  ASSERT_TRUE(engine->submit_task(vision_body("vit", 1), {}));
  ASSERT_TRUE(engine->submit_task(vision_body("vit", 3), {}));
  auto report = engine->step();
  EXPECT_EQ(report.dispatched, 3);
  EXPECT_EQ(report.vision_batches.size(), 1u);
  EXPECT_EQ(report.vision_batched(), 2);
  EXPECT_EQ(pinned(), (std::vector<std::string>{"node-a", "node-a", ""}));
}

TEST_F(VisionBatchTest, TasksOfEachModelAreBatchedApart) {
  auto engine = engine_with({{"node-a", room_for(8)}});
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(engine->submit_task(vision_body("vit"), {}));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine->submit_task(vision_body("clip"), {}));
  auto report = engine->step();
  EXPECT_EQ(report.vision_batches.size(), 2u);
  EXPECT_EQ(report.vision_batched(), 5);
  EXPECT_EQ(asked.size(), 2u);
}

TEST_F(VisionBatchTest, ABatchClaimsPastTheClaimBatchUpToWhatTheNodeHolds) {
  auto engine = engine_with({{"node-a", room_for(6)}}, /*claim_batch=*/2);
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(engine->submit_task(vision_body("vit"), {}));
  auto report = engine->step();
  EXPECT_EQ(report.dispatched, 6);  // 2 claimed as usual, 4 more for the node's batch
  EXPECT_EQ(report.vision_batched(), 6);
  for (const auto& node : pinned()) EXPECT_EQ(node, "node-a");
}

TEST_F(VisionBatchTest, NoMemoryReportedMeansNoBatching) {
  auto engine = engine_with({});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine->submit_task(vision_body("vit"), {}));
  auto report = engine->step();
  EXPECT_EQ(report.dispatched, 3);
  EXPECT_EQ(report.vision_batches.size(), 0u);
  for (const auto& node : pinned()) EXPECT_EQ(node, "");
}

TEST_F(VisionBatchTest, WithoutANodeSourceTheEngineNeverAsks) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine_->submit_task(vision_body("vit"), {}));
  EXPECT_EQ(engine_->step().vision_batches.size(), 0u);
  EXPECT_EQ(exec_.calls.size(), 3u);
}

TEST(VisionPayload, ImagesAreCountedFromStepsAndChatParts) {
  EXPECT_EQ(images_in_payload(R"({"image_url": "a"})"), 1);
  EXPECT_EQ(images_in_payload(R"({"images": ["a", "b", "c"]})"), 3);
  EXPECT_EQ(images_in_payload(R"({"messages": [{"role": "user", "content": [
      {"type": "text", "text": "compare"}, {"type": "image_url", "image_url": {"url": "a"}},
      {"type": "image_url", "image_url": {"url": "b"}}]}]})"),
            2);
  EXPECT_EQ(images_in_payload("not json"), 1);
  EXPECT_EQ(images_in_payload("{}"), 1);
}

}  // namespace
}  // namespace autoglm::workflow::testing
