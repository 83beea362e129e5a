// Durable work through a real gateway with the embedded simulated cluster: tasks run
// through the scheduler and keep their output, idempotent resubmission, the seed's
// 3-task DAG with templating, cancel, cron and event triggers, and the CLI.
#include <gtest/gtest.h>

#include "integration/workflow_support.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class WorkflowTest : public WorkflowGatewayTest {
 protected:
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  std::string submit(const std::string& body, std::map<std::string, std::string> headers = {}) {
    auto r = post_json(port(), "/v1/tasks", body, std::move(headers));
    EXPECT_TRUE(r.status == 201 || r.status == 200) << r.status << r.body;
    return str(json_of(r)["id"]);
  }
};

TEST_F(WorkflowTest, TaskIsCommittedThenRunsThroughTheSchedulerAndKeepsItsOutput) {
  auto r = post_json(port(), "/v1/tasks", chat_task_body("Say hello."));
  ASSERT_EQ(r.status, 201) << r.body;
  auto created = json_of(r);
  EXPECT_EQ(str(created["state"]), "queued");
  const std::string id = str(created["id"]);
  auto task = wait_for_state(port(), "/v1/tasks/" + id, "succeeded", 20s);
  ASSERT_EQ(str(task["state"]), "succeeded") << json::serialize(task);
  EXPECT_FALSE(str(task["output_text"]).empty());
  EXPECT_EQ(str(task["output"].at("object")), "chat.completion");
  EXPECT_FALSE(str(task["ran_on"]).empty());
  EXPECT_EQ(task["attempts"].as_int64(), 1);

  // Its state changes as server-sent events, ending with the final one.
  auto events = http_get(port(), "/v1/tasks/" + id + "/events");
  ASSERT_EQ(events.status, 200);
  EXPECT_EQ(events.header("content-type"), "text/event-stream");
  const auto queued = events.body.find("event: queued");
  const auto running = events.body.find("event: running");
  const auto succeeded = events.body.find("event: succeeded");
  ASSERT_NE(succeeded, std::string::npos) << events.body;
  EXPECT_LT(queued, running);
  EXPECT_LT(running, succeeded);

  auto list = json_of(http_get(port(), "/v1/tasks?state=succeeded&limit=10"));
  ASSERT_EQ(list["data"].as_array().size(), 1u);
  EXPECT_EQ(str(list["data"].as_array()[0].at("id")), id);
}

TEST_F(WorkflowTest, ResubmissionWithTheSameIdempotencyKeyReturnsTheFirstTask) {
  auto first = post_json(port(), "/v1/tasks", chat_task_body("a"), {{"idempotency-key", "k-1"}});
  auto again = post_json(port(), "/v1/tasks", chat_task_body("b"), {{"idempotency-key", "k-1"}});
  auto other = post_json(port(), "/v1/tasks", chat_task_body("a"), {{"idempotency-key", "k-2"}});
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(str(json_of(again)["id"]), str(json_of(first)["id"]));
  EXPECT_NE(str(json_of(other)["id"]), str(json_of(first)["id"]));
}

TEST_F(WorkflowTest, SeedDagRunsT1ThenT2WithT1sOutputThenT3) {
  const std::string model = kWorkflowModel;
  const std::string dag = R"({"name": "report", "tasks": [
    {"id": "T1", "kind": "chat", "model": ")" + model + R"(",
     "payload": {"messages": [{"role": "user", "content": "Write a line."}], "max_tokens": 6}},
    {"id": "T2", "requires": ["T1"], "kind": "chat", "model": ")" + model + R"(",
     "payload": {"messages": [{"role": "user", "content": "Translate: {{tasks.T1.output}}"}],
                 "max_tokens": 6}},
    {"id": "T3", "requires": ["T1", "T2"], "kind": "chat", "model": ")" + model + R"(",
     "payload": {"messages": [{"role": "user", "content": "Summarise."}], "max_tokens": 6}}]})";
  auto r = post_json(port(), "/v1/dags", dag);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = str(json_of(r)["id"]);
  auto run = wait_for_state(port(), "/v1/dags/" + id, "succeeded", 30s);
  ASSERT_EQ(str(run["state"]), "succeeded") << json::serialize(run);
  const auto& tasks = run["tasks"].as_array();
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(str(tasks[0].at("id")), "T1");
  EXPECT_EQ(str(tasks[1].at("id")), "T2");
  const std::string t1_out = str(tasks[0].at("output_text"));
  ASSERT_FALSE(t1_out.empty());
  const std::string t2_prompt =
      str(tasks[1].at("payload").at("messages").as_array()[0].at("content"));
  EXPECT_EQ(t2_prompt, "Translate: " + t1_out);
  // T3 started only after T1 and T2 finished.
  EXPECT_GE(str(tasks[2].at("started_at")), str(tasks[1].at("finished_at")));
}

TEST_F(WorkflowTest, ErrorsAreOpenAiBodiesNamingTheProblem) {
  auto missing = http_get(port(), "/v1/tasks/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(str(json_of(missing)["error"].at("type")), "not_found_error");
  EXPECT_EQ(http_get(port(), "/v1/tasks/abc").status, 404);
  EXPECT_EQ(http_get(port(), "/v1/dags/5").status, 404);
  auto bad = post_json(port(), "/v1/tasks", R"({"kind": "chat", "payload": {}})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  auto cycle = post_json(port(), "/v1/dags", R"({"name": "c", "tasks": [
      {"id": "T1", "kind": "chat", "model": "m", "requires": ["T2"]},
      {"id": "T2", "kind": "chat", "model": "m", "requires": ["T1"]}]})");
  ASSERT_EQ(cycle.status, 400);
  const std::string message = str(json_of(cycle)["error"].at("message"));
  EXPECT_TRUE(message.find("T1 -> T2 -> T1") != std::string::npos ||
              message.find("T2 -> T1 -> T2") != std::string::npos)
      << cycle.body;
  EXPECT_EQ(http_get(port(), "/v1/tasks?state=bogus").status, 400);
}

TEST_F(WorkflowTest, CancelStopsATaskNotYetRun) {
  auto body = json::parse(chat_task_body("later")).as_object();
  body["run_after_ms"] = 600000;
  const std::string id = submit(json::serialize(body));
  auto r = http_request(port(), "DELETE", "/v1/tasks/" + id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(json_of(r)["state"]), "cancelled");
  EXPECT_EQ(str(json_of(http_get(port(), "/v1/tasks/" + id))["state"]), "cancelled");
}

TEST_F(WorkflowTest, CronTriggersAreAddedListedAndRemoved) {
  auto r = post_json(port(), "/v1/cron", R"({"id": "classify-daily", "schedule": "0 8 * * *",
      "timezone": "UTC", "task": {"kind": "chat", "model": "autoglm-sim-8b",
      "payload": {"messages": [{"role": "user", "content": "hi"}]}}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(json_of(r)["id"]), "classify-daily");
  auto list = json_of(http_get(port(), "/v1/cron"));
  ASSERT_EQ(list["data"].as_array().size(), 1u);
  const auto& trig = list["data"].as_array()[0].as_object();
  EXPECT_EQ(str(trig.at("id")), "classify-daily");
  EXPECT_NE(str(trig.at("next_fire")).find("T08:00:00"), std::string::npos);
  EXPECT_EQ(http_request(port(), "DELETE", "/v1/cron/classify-daily").status, 200);
  EXPECT_EQ(http_get(port(), "/v1/cron/classify-daily").status, 404);
  EXPECT_TRUE(json_of(http_get(port(), "/v1/cron"))["data"].as_array().empty());
}

TEST_F(WorkflowTest, AnEventFiresItsTriggersTask) {
  auto t = post_json(port(), "/v1/triggers", R"({"id": "summarise", "event": "doc.uploaded",
      "task": {"kind": "chat", "model": "autoglm-sim-8b", "payload": {"messages":
        [{"role": "user", "content": "Summarise {{event.payload.url}}"}], "max_tokens": 4}}})");
  ASSERT_EQ(t.status, 201) << t.body;
  auto e = post_json(port(), "/v1/events",
                     R"({"name": "doc.uploaded", "payload": {"url": "s3://b/d.pdf"}})");
  ASSERT_EQ(e.status, 202) << e.body;
  const auto answer = json_of(e);
  const auto& tasks = answer.at("tasks").as_array();
  ASSERT_EQ(tasks.size(), 1u);
  auto task = wait_for_state(port(), "/v1/tasks/" + str(tasks[0]), "succeeded", 20s);
  EXPECT_EQ(str(task["state"]), "succeeded");
  EXPECT_EQ(str(task["payload"].at("messages").as_array()[0].at("content")),
            "Summarise s3://b/d.pdf");
}

TEST_F(WorkflowTest, CliSubmitsGetsListsAndCancels) {
  std::string out;
  ASSERT_EQ(run_autoglm({"task", "submit", "--url", url(), "--prompt", "hi", "--max-tokens", "3"},
                        out),
            0)
      << out;
  const std::string id = str(json::parse(out.substr(out.find('{'))).at("id"));
  wait_for_state(port(), "/v1/tasks/" + id, "succeeded", 20s);
  ASSERT_EQ(run_autoglm({"task", "get", "--url", url(), id}, out), 0) << out;
  EXPECT_NE(out.find("\"succeeded\""), std::string::npos) << out;
  ASSERT_EQ(run_autoglm({"task", "list", "--url", url(), "--state", "succeeded"}, out), 0);
  EXPECT_NE(out.find("\"id\":\"" + id + "\""), std::string::npos) << out;
  EXPECT_EQ(run_autoglm({"task", "get", "--url", url(), "424242"}, out), 1) << out;
  auto spec = dir_.write("dag.yaml",
                         "name: one\ntasks:\n  - id: A\n    kind: chat\n    model: autoglm-sim-8b\n"
                         "    payload: {messages: [{role: user, content: hi}], max_tokens: 3}\n");
  ASSERT_EQ(run_autoglm({"dag", "submit", "--url", url(), spec.string()}, out), 0) << out;
  const std::string run = str(json::parse(out.substr(out.find('{'))).at("id"));
  wait_for_state(port(), "/v1/dags/" + run, "succeeded", 20s);
  ASSERT_EQ(run_autoglm({"dag", "status", "--url", url(), run}, out), 0);
  EXPECT_NE(out.find("\"state\":\"succeeded\""), std::string::npos) << out;
  auto task_file = dir_.write("t.json", chat_task_body("nightly"));
  ASSERT_EQ(run_autoglm({"cron", "add", "--url", url(), "--id", "n", "--schedule", "@daily",
                         "--task-file", task_file.string()},
                        out),
            0)
      << out;
  ASSERT_EQ(run_autoglm({"cron", "list", "--url", url()}, out), 0);
  EXPECT_NE(out.find("\"id\":\"n\""), std::string::npos) << out;
  EXPECT_EQ(run_autoglm({"cron", "remove", "--url", url(), "n"}, out), 0) << out;
}

}  // namespace
}  // namespace autoglm::testing
