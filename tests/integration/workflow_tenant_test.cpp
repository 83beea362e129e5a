// Durable work with authentication on: each tenant sees only its own tasks, DAG runs and
// triggers (another tenant's id answers 404 like a missing one), and a task still runs
// through the gateway's own routes with the loopback credential, as its tenant.
#include <gtest/gtest.h>

#include "integration/workflow_support.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kAcme = "Bearer sk-acme-workflow-test-0001";
constexpr const char* kGlobex = "Bearer sk-globex-workflow-test-0002";

class WorkflowTenantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string config = workflow_config(dir_.path() / "wf.db") +
                               "auth:\n  enabled: true\n  keys:\n"
                               "    - {tenant: acme, key: sk-acme-workflow-test-0001}\n"
                               "    - {tenant: globex, key: sk-globex-workflow-test-0002}\n";
    auto path = dir_.write("gateway.yaml", config);
    gateway_ = start_autoglm(dir_, "gateway", {"serve", "-c", path.string()});
  }
  HttpResponse call(const char* key, const std::string& method, const std::string& target,
                    const std::string& body = "") {
    return http_request(gateway_.port, method, target, body,
                        {{"authorization", key}, {"content-type", "application/json"}});
  }

  TempDir dir_;
  Started gateway_;
};

TEST_F(WorkflowTenantTest, AnotherTenantsTaskIsNotFoundAndTheOwnerSeesItRun) {
  EXPECT_EQ(http_request(gateway_.port, "POST", "/v1/tasks", chat_task_body("x")).status, 401);
  auto r = call(kAcme, "POST", "/v1/tasks", chat_task_body("Say hello."));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = str(json_of(r)["id"]);
  // The owner's task runs through the gateway's routes with the loopback credential.
  json::object task;
  ASSERT_TRUE(wait_until(
      [&] {
        task = json_of(call(kAcme, "GET", "/v1/tasks/" + id));
        return str(task["state"]) == "succeeded";
      },
      20s))
      << json::serialize(task);
  EXPECT_FALSE(str(task["output_text"]).empty());

  const auto missing = call(kGlobex, "GET", "/v1/tasks/999999");
  const auto foreign = call(kGlobex, "GET", "/v1/tasks/" + id);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(str(json_of(foreign)["error"].at("type")), str(json_of(missing)["error"].at("type")));
  EXPECT_EQ(call(kGlobex, "DELETE", "/v1/tasks/" + id).status, 404);
  EXPECT_EQ(call(kGlobex, "GET", "/v1/tasks/" + id + "/events").status, 404);
  EXPECT_TRUE(json_of(call(kGlobex, "GET", "/v1/tasks"))["data"].as_array().empty());
  EXPECT_EQ(json_of(call(kAcme, "GET", "/v1/tasks"))["data"].as_array().size(), 1u);
}

TEST_F(WorkflowTenantTest, DagRunsAndTriggersBelongToTheirTenant) {
  auto dag = call(kAcme, "POST", "/v1/dags",
                  R"({"name": "d", "tasks": [{"id": "A", "kind": "chat", "model": "autoglm-sim-8b",
                      "payload": {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}}]})");
  ASSERT_EQ(dag.status, 201) << dag.body;
  const std::string run = str(json_of(dag)["id"]);
  EXPECT_EQ(call(kGlobex, "GET", "/v1/dags/" + run).status, 404);
  EXPECT_EQ(call(kGlobex, "DELETE", "/v1/dags/" + run).status, 404);
  EXPECT_EQ(call(kAcme, "GET", "/v1/dags/" + run).status, 200);

  const std::string cron = R"({"id": "nightly", "schedule": "@daily",
      "task": {"kind": "chat", "model": "autoglm-sim-8b", "payload": {"messages": [{"role": "user", "content": "hi"}]}}})";
  ASSERT_EQ(call(kAcme, "POST", "/v1/cron", cron).status, 201);
  ASSERT_EQ(call(kGlobex, "POST", "/v1/cron", cron).status, 201);  // same id, its own
  EXPECT_EQ(json_of(call(kAcme, "GET", "/v1/cron"))["data"].as_array().size(), 1u);
  EXPECT_EQ(call(kGlobex, "DELETE", "/v1/cron/nightly").status, 200);
  EXPECT_EQ(call(kGlobex, "GET", "/v1/cron/nightly").status, 404);
  EXPECT_EQ(call(kAcme, "GET", "/v1/cron/nightly").status, 200);

  ASSERT_EQ(call(kAcme, "POST", "/v1/triggers", R"({"id": "t", "event": "doc.in",
      "task": {"kind": "chat", "model": "autoglm-sim-8b", "payload": {"messages": [{"role": "user", "content": "hi"}]}}})")
                .status,
            201);
  auto other = call(kGlobex, "POST", "/v1/events", R"({"name": "doc.in"})");
  ASSERT_EQ(other.status, 202) << other.body;
  EXPECT_TRUE(json_of(other)["tasks"].as_array().empty());
  auto own = call(kAcme, "POST", "/v1/events", R"({"name": "doc.in"})");
  EXPECT_EQ(json_of(own)["tasks"].as_array().size(), 1u);
}

}  // namespace
}  // namespace autoglm::testing
