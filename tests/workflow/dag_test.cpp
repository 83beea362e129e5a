// DAG specs: parsing (JSON and YAML), validation (every error), topological order, and the
// execution state machine's trigger rules and parallelism.
#include <gtest/gtest.h>

#include "workflow/dag_plan.hpp"
#include "workflow/dag_spec.hpp"
#include "workflow/dag_validate.hpp"

namespace autoglm::workflow {
namespace {

using store::TaskState;
using namespace std::chrono_literals;

DagTaskSpec node(std::string id, std::vector<std::string> req = {},
                 TriggerRule rule = TriggerRule::kAllSuccess) {
  DagTaskSpec t;
  t.id = std::move(id);
  t.model = "m";
  t.upstream = std::move(req);
  t.trigger_rule = rule;
  return t;
}

DagSpec dag(std::vector<DagTaskSpec> tasks, int par = 0) {
  DagSpec s;
  s.name = "d";
  s.tasks = std::move(tasks);
  s.max_parallelism = par;
  return s;
}

TEST(DagSpec, ParsesTheSeedExampleFromJson) {
  auto spec = parse_dag(R"({"name": "report", "max_parallelism": 2, "tasks": [
    {"id": "T1", "kind": "chat", "model": "autoglm-sim-8b", "payload": {"messages": []}},
    {"id": "T2", "requires": ["T1"], "kind": "chat", "model": "autoglm-sim-8b", "retries": 2,
     "backoff": "500ms", "timeout_ms": 30000, "priority": "critical",
     "payload": {"messages": [{"role": "user", "content": "Translate: {{tasks.T1.output}}"}]}},
    {"id": "T3", "requires": ["T1", "T2"], "model": "autoglm-sim-8b", "trigger_rule": "all_done"}]})");
  ASSERT_TRUE(spec) << spec.status().message();
  EXPECT_EQ(spec->name, "report");
  EXPECT_EQ(spec->max_parallelism, 2);
  ASSERT_EQ(spec->tasks.size(), 3u);
  EXPECT_EQ(spec->tasks[1].upstream, (std::vector<std::string>{"T1"}));
  EXPECT_EQ(spec->tasks[1].retries, 2);
  EXPECT_EQ(spec->tasks[1].backoff, 500ms);
  EXPECT_EQ(spec->tasks[1].timeout, 30s);
  EXPECT_EQ(spec->tasks[1].priority, 9);
  EXPECT_EQ(spec->tasks[2].trigger_rule, TriggerRule::kAllDone);
  EXPECT_TRUE(validate_dag(*spec));
}

TEST(DagSpec, ParsesYaml) {
  auto spec = parse_dag(R"(name: nightly
tasks:
  - id: fetch
    model: m
    payload: {prompt: "7"}
  - id: summarise
    model: m
    requires: [fetch]
    retries: 3
    trigger_rule: one_failed
)");
  ASSERT_TRUE(spec) << spec.status().message();
  EXPECT_EQ(spec->tasks[1].retries, 3);
  EXPECT_EQ(spec->tasks[1].trigger_rule, TriggerRule::kOneFailed);
  EXPECT_EQ(spec->tasks[0].payload, R"({"prompt":"7"})");  // quoted stays a string
}

TEST(DagSpec, FieldErrorsNameTheField) {
  EXPECT_EQ(parse_dag(R"({"tasks": 3})").status().param(), "tasks");
  EXPECT_EQ(parse_dag(R"({"tasks": [{"id": "a", "retries": -1}]})").status().param(),
            "tasks[0].retries");
  EXPECT_EQ(parse_dag(R"({"tasks": [{"id": "a"}, {"id": "b", "requires": "a"}]})").status().param(),
            "tasks[1].requires");
  EXPECT_EQ(parse_dag(R"({"tasks": [{"id": "a", "trigger_rule": "sometimes"}]})").status().param(),
            "tasks[0].trigger_rule");
  EXPECT_EQ(parse_dag(R"({"tasks": [{"id": "a", "backoff": "soon"}]})").status().param(),
            "tasks[0].backoff");
  EXPECT_EQ(parse_dag(R"({"tasks": [{"id": "a", "payload": "x"}]})").status().param(),
            "tasks[0].payload");
  EXPECT_EQ(parse_dag(R"({"tasks": [{"model": "m"}]})").status().param(), "tasks[0].id");
  EXPECT_FALSE(parse_dag("{not json"));
  EXPECT_FALSE(parse_dag("tasks: [unclosed"));
}

// Found by fuzz/dag_spec (fuzz/crashes/dag_spec/): a double beyond int64's range was cast.
TEST(DagSpec, HugeNumbersAreFieldErrorsNotUndefinedCasts) {
  EXPECT_EQ(parse_dag(R"({"max_parallelism": 2.8e92, "tasks": [{"id": "a"}]})").status().param(),
            "max_parallelism");
  EXPECT_EQ(parse_dag(R"({"max_parallelism": -1e300, "tasks": [{"id": "a"}]})").status().param(),
            "max_parallelism");
  EXPECT_EQ(parse_dag(R"({"tasks": [{"id": "a", "backoff": "2222222222222222222222222222ms"}]})")
                .status()
                .param(),
            "tasks[0].backoff");
  auto whole = parse_dag(R"({"max_parallelism": 3.0, "tasks": [{"id": "a", "model": "m"}]})");
  ASSERT_TRUE(whole) << whole.status().message();
  EXPECT_EQ(whole->max_parallelism, 3);
}

// YAML aliases can name a cyclic or exponentially large tree in a few bytes; found by
// fuzzing (a cycle overflowed the stack, a chain of aliases ran past the time limit).
TEST(DagSpec, CyclicAndExplodingYamlAliasesAreRefused) {
  auto cycle = parse_dag("tasks: &a [*a]\n");
  ASSERT_FALSE(cycle);
  EXPECT_NE(cycle.status().message().find("deeper than 64"), std::string::npos);
  std::string laughs = "x0: &x0 [aaaaaaaaaa, aaaaaaaaaa]\n";
  for (int i = 1; i < 40; ++i) {
    const std::string prev = "*x" + std::to_string(i - 1);
    laughs += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [" + prev + ", " + prev +
              ", " + prev + "]\n";
  }
  auto big = parse_dag(laughs);
  ASSERT_FALSE(big);
  EXPECT_NE(big.status().message().find("too many values"), std::string::npos);
  // Aliases used modestly still work.
  auto ok = parse_dag(
      "payload: &p {messages: [{role: user, content: hi}]}\n"
      "tasks:\n  - {id: a, model: m, payload: *p}\n  - {id: b, model: m, payload: *p}\n");
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_EQ(ok->tasks.size(), 2u);
}

TEST(DagValidate, RejectsAnEmptyDag) {
  auto s = validate_dag(dag({}));
  EXPECT_EQ(s.param(), "tasks");
}

TEST(DagValidate, RejectsDuplicateIds) {
  auto s = validate_dag(dag({node("T1"), node("T2"), node("T1")}));
  EXPECT_EQ(s.param(), "tasks[2].id");
  EXPECT_NE(s.message().find("already used by tasks[0]"), std::string::npos);
}

TEST(DagValidate, RejectsUnknownDependencies) {
  auto s = validate_dag(dag({node("T1"), node("T2", {"T1", "T9"})}));
  EXPECT_EQ(s.param(), "tasks[1].requires[1]");
  EXPECT_NE(s.message().find("'T9'"), std::string::npos);
}

TEST(DagValidate, RejectsSelfDependency) {
  auto s = validate_dag(dag({node("T1", {"T1"})}));
  EXPECT_EQ(s.param(), "tasks[0].requires[0]");
  EXPECT_NE(s.message().find("T1 -> T1"), std::string::npos);
}

TEST(DagValidate, NamesTheCyclePath) {
  auto s =
      validate_dag(dag({node("T1", {"T2"}), node("T2", {"T3"}), node("T3", {"T1"}), node("T4")}));
  EXPECT_EQ(s.param(), "tasks");
  EXPECT_NE(s.message().find("T1 -> T3 -> T2 -> T1"), std::string::npos) << s.message();
}

TEST(DagValidate, RejectsMissingModelAndTemplatesOfNonUpstream) {
  DagTaskSpec t = node("T1");
  t.model.clear();
  EXPECT_EQ(validate_dag(dag({t})).param(), "tasks[0].model");
  DagTaskSpec u = node("T2");
  u.payload = R"({"prompt": "{{tasks.T1.output}}"})";
  EXPECT_EQ(validate_dag(dag({node("T1"), u})).param(), "tasks[1].payload");
  t.kind = "summarization";  // a pipeline step runs as a chat request: it needs a model too
  t.payload = R"({"text": "x"})";
  EXPECT_EQ(validate_dag(dag({t})).param(), "tasks[0].model");
}

TEST(DagValidate, RejectsUnknownKindsListingTheKnownOnes) {
  DagTaskSpec t = node("T1");
  t.kind = "resize_step";
  auto s = validate_dag(dag({node("T0"), t}));
  EXPECT_EQ(s.param(), "tasks[1].kind");
  EXPECT_NE(s.message().find("'resize_step' is unknown"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("image_classification"), std::string::npos) << s.message();
}

TEST(DagValidate, ChecksPipelineStepPayloadsWithTheirFieldNames) {
  DagTaskSpec t = node("T1");
  t.kind = "image_classification";
  t.payload = R"({"images": ["a.jpg", 7]})";
  EXPECT_EQ(validate_dag(dag({t})).param(), "tasks[0].payload.images[1]");
  // An upstream output may fill a step's field: it is a string until the node runs.
  DagTaskSpec u = node("T2", {"T1"});
  u.kind = "translation";
  u.payload = R"({"text": "{{tasks.T1.output}}", "target_language": "French"})";
  t.payload = R"({"image_url": "https://img.example/cat.jpg", "labels": ["cat", "dog"]})";
  EXPECT_TRUE(validate_dag(dag({t, u})));
}

TEST(DagValidate, TopologicalOrderIsKahnByInDegreeThenSpecOrder) {
  auto spec = dag({node("T3", {"T1", "T2"}), node("T2", {"T1"}), node("T1"), node("T0")});
  auto order = topological_order(spec);
  EXPECT_EQ(order, (std::vector<std::size_t>{2, 1, 0, 3}));
}

std::vector<std::size_t> released(const DagPlan& p) { return p.release; }

TEST(DagPlan, SeedExampleRunsT1ThenT2ThenT3) {
  auto spec = dag({node("T1"), node("T2", {"T1"}), node("T3", {"T1", "T2"})});
  using S = TaskState;
  EXPECT_EQ(released(plan_dag(spec, std::vector{S::kPending, S::kPending, S::kPending})),
            (std::vector<std::size_t>{0}));
  EXPECT_TRUE(plan_dag(spec, std::vector{S::kRunning, S::kPending, S::kPending}).release.empty());
  EXPECT_EQ(released(plan_dag(spec, std::vector{S::kSucceeded, S::kPending, S::kPending})),
            (std::vector<std::size_t>{1}));
  EXPECT_EQ(released(plan_dag(spec, std::vector{S::kSucceeded, S::kSucceeded, S::kPending})),
            (std::vector<std::size_t>{2}));
  auto done = plan_dag(spec, std::vector{S::kSucceeded, S::kSucceeded, S::kSucceeded});
  EXPECT_EQ(done.finished, S::kSucceeded);
}

TEST(DagPlan, FailureSkipsAllSuccessDependentsTransitively) {
  auto spec =
      dag({node("A"), node("B", {"A"}), node("C", {"B"}), node("D", {"A"}, TriggerRule::kAllDone)});
  using S = TaskState;
  auto p = plan_dag(spec, std::vector{S::kFailed, S::kPending, S::kPending, S::kPending});
  ASSERT_EQ(p.skip.size(), 2u);
  EXPECT_EQ(p.skip[0].first, 1u);
  EXPECT_EQ(p.skip[1].first, 2u);                       // cascades through the skipped B
  EXPECT_EQ(p.release, (std::vector<std::size_t>{3}));  // all_done runs anyway
  EXPECT_FALSE(p.finished);
  auto end = plan_dag(spec, std::vector{S::kFailed, S::kSkipped, S::kSkipped, S::kSucceeded});
  EXPECT_EQ(end.finished, S::kFailed);
}

TEST(DagPlan, OneFailedRunsOnFailureAndIsSkippedOtherwise) {
  auto spec = dag({node("A"), node("B"), node("alert", {"A", "B"}, TriggerRule::kOneFailed)});
  using S = TaskState;
  EXPECT_EQ(plan_dag(spec, std::vector{S::kFailed, S::kRunning, S::kPending}).release,
            (std::vector<std::size_t>{2}));
  EXPECT_TRUE(plan_dag(spec, std::vector{S::kSucceeded, S::kRunning, S::kPending}).skip.empty());
  auto p = plan_dag(spec, std::vector{S::kSucceeded, S::kSucceeded, S::kPending});
  ASSERT_EQ(p.skip.size(), 1u);
  EXPECT_EQ(p.finished, S::kSucceeded);  // skipped counts as finished, not as failed
}

TEST(DagPlan, SkippedUpstreamIsNotSuccess) {
  auto spec = dag({node("A"), node("B", {"A"}), node("C", {"B"}, TriggerRule::kAllDone)});
  using S = TaskState;
  auto p = plan_dag(spec, std::vector{S::kCancelled, S::kPending, S::kPending});
  ASSERT_EQ(p.skip.size(), 1u);
  EXPECT_EQ(p.release, (std::vector<std::size_t>{2}));
}

TEST(DagPlan, MaxParallelismCapsReleases) {
  auto spec = dag({node("A"), node("B"), node("C"), node("D")}, 2);
  using S = TaskState;
  EXPECT_EQ(plan_dag(spec, std::vector(4, S::kPending)).release, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(
      plan_dag(spec, std::vector{S::kSucceeded, S::kRunning, S::kPending, S::kPending}).release,
      (std::vector<std::size_t>{2}));
}

}  // namespace
}  // namespace autoglm::workflow
