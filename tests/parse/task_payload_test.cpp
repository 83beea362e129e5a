// The async task API: {"kind", "model", "priority", "latency", "preemptible", "payload"}.
#include <gtest/gtest.h>

#include <string>

#include "parse/task_parser.hpp"
#include "parse/token_estimator.hpp"

namespace autoglm::parse {
namespace {

using core::LatencyClass;
using core::PriorityClass;
using core::TaskKind;
using core::TaskSpec;

TaskSpec task(const std::string& body, const RequestMeta& meta = {},
              const ParseOptions& options = {}) {
  auto r = parse_task_payload(body, meta, options);
  EXPECT_TRUE(r.is_ok()) << (r ? "" : r.status().message());
  return r ? std::move(r).value() : TaskSpec{};
}

TEST(ParseTaskPayloadTest, TheExampleFromTheApi) {
  const TaskSpec t = task(R"({"kind":"chat","model":"glm-4","priority":"batch",
      "payload":{"messages":[{"role":"user","content":"Summarise the report."}],"max_tokens":64},
      "preemptible":true})");
  EXPECT_EQ(t.kind, TaskKind::kAsync);
  EXPECT_EQ(t.model, "glm-4");
  EXPECT_EQ(t.priority_class, PriorityClass::kBatch);
  EXPECT_EQ(t.priority_level, 3);
  EXPECT_EQ(t.latency, LatencyClass::kBatch);
  EXPECT_EQ(t.max_output_tokens, 64);
  EXPECT_TRUE(t.preemptible);
  EXPECT_FALSE(t.stream);
  EXPECT_EQ(t.input_tokens, 3 + 1 + estimate_tokens("Summarise the report.") + 3);
}

TEST(ParseTaskPayloadTest, AsyncTasksAreBatchLatencyUnlessTheySayOtherwise) {
  const std::string payload = R"("payload":{"messages":[{"role":"user","content":"x"}]})";
  const TaskSpec plain = task(R"({"kind":"chat","model":"m",)" + payload + "}");
  EXPECT_EQ(plain.latency, LatencyClass::kBatch);
  EXPECT_EQ(plain.priority_class, PriorityClass::kStandard);
  EXPECT_FALSE(plain.preemptible);
  EXPECT_EQ(task(R"({"kind":"chat","model":"m","latency":"interactive",)" + payload + "}").latency,
            LatencyClass::kInteractive);
}

TEST(ParseTaskPayloadTest, ModelMayBeInThePayload) {
  EXPECT_EQ(task(R"({"kind":"completion","payload":{"model":"m2","prompt":"x"}})").model, "m2");
  EXPECT_EQ(
      task(R"({"kind":"completion","model":"m2","payload":{"model":"m2","prompt":"x"}})").model,
      "m2");
}

TEST(ParseTaskPayloadTest, TopLevelSchedulingFieldsWinOverThePayloads) {
  const TaskSpec t = task(R"({"kind":"completion","model":"m","priority":9,"latency":"batch",
      "payload":{"prompt":"x","priority":"sheddable","latency":"interactive"}})");
  EXPECT_EQ(t.priority_class, PriorityClass::kCritical);
  EXPECT_EQ(t.priority_level, 9);
  EXPECT_EQ(t.latency, LatencyClass::kBatch);
  const TaskSpec in_payload = task(R"({"kind":"completion","model":"m",
      "payload":{"prompt":"x","priority":"sheddable"}})");
  EXPECT_EQ(in_payload.priority_class, PriorityClass::kSheddable);
}

TEST(ParseTaskPayloadTest, HeadersStillWin) {
  RequestMeta meta;
  meta.priority_header = "critical";
  meta.deadline_header = "60000";
  meta.tenant = "acme";
  const TaskSpec t =
      task(R"({"kind":"embedding","model":"e5","priority":"batch","payload":{"input":"x"}})", meta);
  EXPECT_EQ(t.priority_class, PriorityClass::kCritical);
  EXPECT_EQ(t.deadline, std::chrono::milliseconds(60000));
  EXPECT_EQ(t.tenant, "acme");
  EXPECT_EQ(t.max_output_tokens, 0);
}

TEST(ParseTaskPayloadTest, StreamingIsOffForStoredResults) {
  EXPECT_FALSE(
      task(R"({"kind":"completion","model":"m","payload":{"prompt":"x","stream":true}})").stream);
}

}  // namespace
}  // namespace autoglm::parse
