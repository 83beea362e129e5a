// Triggers belong to a tenant: a cron firing makes the trigger's tenant's task, and an
// event fires only the triggers of the tenant that posted it.
#include "engine_test_support.hpp"

namespace autoglm::workflow::testing {
namespace {

TEST_F(EngineTest, CronFiringMakesTheTriggersTenantsTask) {
  ASSERT_TRUE(engine_->add_cron_trigger(R"({"id": "acme/hourly", "tenant": "acme",
      "schedule": "@hourly", "task": {"kind": "summarization", "model": "m", "payload": {"text": "t"}}})"));
  clock_.set(kStart + 1h);
  ASSERT_EQ(engine_->step().cron_fired, 1);
  EXPECT_EQ(exec_.calls.at(0).task.task.input.tenant, "acme");
}

TEST_F(EngineTest, EventsFireOnlyThePostingTenantsTriggers) {
  ASSERT_TRUE(engine_->add_event_trigger(R"({"id": "a", "tenant": "acme", "event": "doc.in",
      "task": {"kind": "summarization", "model": "m", "payload": {"text": "t"}}})"));
  ASSERT_TRUE(engine_->add_event_trigger(R"({"id": "b", "tenant": "globex", "event": "doc.in",
      "task": {"kind": "summarization", "model": "m", "payload": {"text": "t"}}})"));
  auto out = engine_->post_event(R"({"name": "doc.in"})", SubmitContext{"acme", ""});
  ASSERT_TRUE(out) << out.status().message();
  ASSERT_EQ(out->tasks.size(), 1u);
  EXPECT_EQ(task(out->tasks[0]).input.tenant, "acme");
  auto none = engine_->post_event(R"({"name": "doc.in"})", SubmitContext{"initech", ""});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->tasks.empty());
}

}  // namespace
}  // namespace autoglm::workflow::testing
