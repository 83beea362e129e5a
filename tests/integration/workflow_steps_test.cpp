// Named pipeline steps through a real gateway with the embedded simulated cluster: an
// image_classification task posted to /v1/tasks runs on a simnode as a vision chat and
// keeps its answer, a DAG chains an image_classification step into a text step, an event trigger
// fires an image step, and unknown kinds or bad step payloads are refused with the field named.
#include <gtest/gtest.h>

#include "integration/workflow_support.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class WorkflowStepsTest : public WorkflowGatewayTest {
 protected:
  json::object error_of(const HttpResponse& r) {
    auto o = json_of(r);
    const auto* e = o.if_contains("error");
    return e && e->is_object() ? e->as_object() : json::object{};
  }
};

// `text` with every $MODEL replaced by the simulated cluster's model.
std::string with_model(std::string text) {
  for (auto p = text.find("$MODEL"); p != std::string::npos; p = text.find("$MODEL", p)) {
    text.replace(p, 6, kWorkflowModel);
  }
  return text;
}

TEST_F(WorkflowStepsTest, AnImageClassificationTaskRunsAsAVisionChatAndKeepsItsAnswer) {
  auto r = post_json(port(), "/v1/tasks", with_model(R"({"kind": "image_classification",
      "model": "$MODEL", "payload": {"image_url": "https://img.example/cat.jpg",
                                     "labels": ["cat", "dog"], "max_tokens": 4}})"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = str(json_of(r)["id"]);
  auto task = wait_for_state(port(), "/v1/tasks/" + id, "succeeded", 30s);
  ASSERT_EQ(str(task["state"]), "succeeded") << json::serialize(task);
  EXPECT_EQ(str(task["modality"]), "vision");
  EXPECT_EQ(task["priority"].as_int64(), 2);  // vision's default class: batch
  EXPECT_EQ(str(task["output"].at("object")), "chat.completion");
  EXPECT_FALSE(str(task["output_text"]).empty());
  // The node prefilled the image as well as the instruction (765 tokens for an image).
  EXPECT_GT(task["output"].at("usage").at("prompt_tokens").as_int64(), 765);
  EXPECT_FALSE(str(task["ran_on"]).empty());
}

TEST_F(WorkflowStepsTest, UnknownKindsAndBadStepPayloadsAreRefusedNamingTheField) {
  auto unknown = post_json(port(), "/v1/tasks",
                           with_model(R"({"kind": "resize", "model": "$MODEL", "payload": {}})"));
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(str(error_of(unknown)["param"]), "kind");
  EXPECT_NE(str(error_of(unknown)["message"]).find("image_classification"), std::string::npos);
  auto bad = post_json(port(), "/v1/tasks", with_model(R"({"kind": "ocr", "model": "$MODEL",
      "payload": {"images": ["a.png", 3]}})"));
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(str(error_of(bad)["param"]), "payload.images[1]");
  auto dag = post_json(port(), "/v1/dags", with_model(R"({"name": "d", "tasks": [
      {"id": "T1", "kind": "image_captioning", "model": "$MODEL", "payload": {}}]})"));
  ASSERT_EQ(dag.status, 400) << dag.body;
  EXPECT_EQ(str(error_of(dag)["param"]), "tasks[0].payload.image_url");
  auto cron = post_json(port(), "/v1/cron", with_model(R"({"id": "c", "schedule": "@daily",
      "task": {"kind": "classify", "model": "$MODEL", "payload": {}}})"));
  ASSERT_EQ(cron.status, 400) << cron.body;
  EXPECT_EQ(str(error_of(cron)["param"]), "task.kind");
}

TEST_F(WorkflowStepsTest, ADagClassifiesAnImageThenTranslatesTheLabel) {
  auto r = post_json(port(), "/v1/dags", with_model(R"({"name": "label-fr", "tasks": [
    {"id": "T1", "kind": "image_classification", "model": "$MODEL",
     "payload": {"image_url": "https://img.example/street.jpg", "max_tokens": 6}},
    {"id": "T2", "requires": ["T1"], "kind": "translation", "model": "$MODEL",
     "payload": {"text": "{{tasks.T1.output}}", "target_language": "French",
                 "max_tokens": 6}}]})"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto run = wait_for_state(port(), "/v1/dags/" + str(json_of(r)["id"]), "succeeded", 30s);
  ASSERT_EQ(str(run["state"]), "succeeded") << json::serialize(run);
  const auto& tasks = run["tasks"].as_array();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(str(tasks[0].at("modality")), "vision");
  EXPECT_EQ(str(tasks[1].at("modality")), "text");
  const std::string label = str(tasks[0].at("output_text"));
  ASSERT_FALSE(label.empty());
  // T2 ran with T1's answer in its payload.
  EXPECT_EQ(str(tasks[1].at("payload").at("text")), label);
}

TEST_F(WorkflowStepsTest, TheSeedsDailyClassificationIsAcceptedAndAnEventRunsAnImageStep) {
  auto cron = post_json(port(), "/v1/cron", with_model(R"({"id": "classify-daily",
      "schedule": "0 8 * * *", "timezone": "Europe/Berlin",
      "task": {"kind": "image_classification", "model": "$MODEL",
               "payload": {"images": ["s3://cams/today/1.jpg", "s3://cams/today/2.jpg"]}}})"));
  ASSERT_EQ(cron.status, 201) << cron.body;
  EXPECT_FALSE(str(json_of(cron)["next_fire"]).empty());

  auto trig = post_json(port(), "/v1/triggers", with_model(R"({"id": "on-photo",
      "event": "photo.taken", "task": {"kind": "image_classification", "model": "$MODEL",
      "payload": {"image_url": "{{event.payload.url}}", "max_tokens": 4}}})"));
  ASSERT_EQ(trig.status, 201) << trig.body;
  auto ev = post_json(port(), "/v1/events", R"({"name": "photo.taken", "modality": "vision",
      "payload": {"url": "https://img.example/dog.jpg"}})");
  ASSERT_EQ(ev.status, 202) << ev.body;
  const json::array ids = json_of(ev)["tasks"].as_array();
  ASSERT_EQ(ids.size(), 1u);
  auto task = wait_for_state(port(), "/v1/tasks/" + str(ids[0]), "succeeded", 30s);
  ASSERT_EQ(str(task["state"]), "succeeded") << json::serialize(task);
  EXPECT_EQ(str(task["payload"].at("image_url")), "https://img.example/dog.jpg");
  EXPECT_EQ(str(task["modality"]), "vision");
}

}  // namespace
}  // namespace autoglm::testing
