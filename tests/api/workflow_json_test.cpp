// The wire form of tasks, DAG runs and triggers, and tenant scoping of trigger ids.
#include "api/workflow_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace autoglm::api {
namespace {

namespace json = boost::json;

TEST(WorkflowJson, TimesAreRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(rfc3339(core::Time{std::chrono::milliseconds(1'735'714'800'250)}),
            "2025-01-01T07:00:00.250Z");
}

TEST(WorkflowJson, TaskShowsStateOutputAndTimings) {
  store::TaskRecord t;
  t.id = 7;
  t.input.kind = "chat";
  t.input.model = "m";
  t.state = store::TaskState::kSucceeded;
  t.attempts = 2;
  t.result = R"({"choices":[{"message":{"role":"assistant","content":"bonjour"}}]})";
  t.ran_on = "node1";
  t.started_at = core::Time{std::chrono::seconds(1)};
  const json::object o = task_json(t);
  EXPECT_EQ(o.at("id").as_string(), "7");
  EXPECT_EQ(o.at("state").as_string(), "succeeded");
  EXPECT_EQ(o.at("attempts").as_int64(), 2);
  EXPECT_EQ(o.at("output_text").as_string(), "bonjour");
  EXPECT_TRUE(o.at("output").is_object());
  EXPECT_EQ(o.at("ran_on").as_string(), "node1");
  EXPECT_EQ(o.at("started_at").as_string(), "1970-01-01T00:00:01.000Z");
  EXPECT_TRUE(o.at("finished_at").is_null());
  EXPECT_TRUE(o.at("dag_run").is_null());
}

TEST(WorkflowJson, DagStatusListsNodesByTheirSpecIds) {
  workflow::DagStatus st;
  st.run.id = 3;
  st.run.input.name = "report";
  store::TaskRecord n;
  n.id = 11;
  n.dag_run = 3;
  n.input.dag_node = "T1";
  n.state = store::TaskState::kPending;
  st.nodes.push_back(n);
  const json::object o = dag_status_json(st);
  EXPECT_EQ(o.at("id").as_string(), "3");
  EXPECT_EQ(o.at("state").as_string(), "running");
  const auto& node = o.at("tasks").as_array().at(0).as_object();
  EXPECT_EQ(node.at("id").as_string(), "T1");
  EXPECT_EQ(node.at("task_id").as_string(), "11");
  EXPECT_EQ(node.at("state").as_string(), "pending");
}

TEST(WorkflowJson, TriggerBodyIsScopedToTheCallersTenant) {
  auto body = scope_trigger_body(R"({"id":"nightly","tenant":"evil","schedule":"@daily"})", "acme");
  ASSERT_TRUE(body) << body.status().message();
  const auto o = json::parse(*body).as_object();
  EXPECT_EQ(o.at("id").as_string(), "acme/nightly");
  EXPECT_EQ(o.at("tenant").as_string(), "acme");

  store::TriggerRecord rec;
  rec.id = "acme/nightly";
  rec.spec = *body;
  EXPECT_EQ(tenant_trigger_id(rec, "acme"), "nightly");
  EXPECT_EQ(tenant_trigger_id(rec, "other"), std::nullopt);
  // A tenant whose name extends another's with '/' does not see its triggers.
  rec.id = "acme/x/nightly";
  EXPECT_EQ(tenant_trigger_id(rec, "acme/x"), std::nullopt);

  const json::object shown = trigger_json(rec, "nightly");
  EXPECT_EQ(shown.at("id").as_string(), "nightly");
  EXPECT_EQ(shown.at("spec").at("id").as_string(), "nightly");
  EXPECT_FALSE(shown.at("spec").as_object().contains("tenant"));
}

TEST(WorkflowJson, TriggerBodyNeedsAnObjectWithAnId) {
  EXPECT_EQ(scope_trigger_body("[]", "t").status().param(), "id");
  EXPECT_EQ(scope_trigger_body(R"({"schedule":"@daily"})", "t").status().param(), "id");
}

TEST(WorkflowJson, RecordIdsArePositiveDecimals) {
  EXPECT_EQ(parse_record_id("42"), 42);
  EXPECT_EQ(parse_record_id(""), std::nullopt);
  EXPECT_EQ(parse_record_id("0"), std::nullopt);
  EXPECT_EQ(parse_record_id("-3"), std::nullopt);
  EXPECT_EQ(parse_record_id("4x"), std::nullopt);
  EXPECT_EQ(parse_record_id("99999999999999999999"), std::nullopt);
}

}  // namespace
}  // namespace autoglm::api
