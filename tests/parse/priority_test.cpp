// Priority and latency class: header > body > tenant default > default.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "parse/request_fields.hpp"
#include "parse/task_parser.hpp"

namespace autoglm::parse {
namespace {

using core::LatencyClass;
using core::PriorityClass;

struct PriorityCase {
  const char* name;
  const char* header;         // x-autoglm-priority, "" for none
  const char* body_priority;  // JSON value of "priority", nullptr for none
  const char* tenant;         // the request's tenant
  PriorityClass want_class;
  int want_level;
};

class PriorityPrecedenceTest : public testing::TestWithParam<PriorityCase> {};

TEST_P(PriorityPrecedenceTest, PicksTheMostSpecificSource) {
  const PriorityCase& c = GetParam();
  ParseOptions options;
  options.default_class = PriorityClass::kStandard;
  options.tenant_default_class["nightly"] = PriorityClass::kBatch;
  options.tenant_default_class["vip"] = PriorityClass::kCritical;
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"x"}])";
  if (c.body_priority) body += std::string(R"(,"priority":)") + c.body_priority;
  body += "}";
  RequestMeta meta;
  meta.priority_header = c.header;
  meta.tenant = c.tenant;
  auto r = parse_openai(core::TaskKind::kChat, body, meta, options);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r->priority_class, c.want_class);
  EXPECT_EQ(r->priority_level, c.want_level);
}

INSTANTIATE_TEST_SUITE_P(
    Sources, PriorityPrecedenceTest,
    testing::Values(
        PriorityCase{"Default", "", nullptr, "", PriorityClass::kStandard, 5},
        PriorityCase{"TenantDefault", "", nullptr, "nightly", PriorityClass::kBatch, 3},
        PriorityCase{"OtherTenantDefault", "", nullptr, "vip", PriorityClass::kCritical, 9},
        PriorityCase{"UnknownTenantGetsDefault", "", nullptr, "someone", PriorityClass::kStandard,
                     5},
        PriorityCase{"BodyBeatsTenant", "", "\"sheddable\"", "vip", PriorityClass::kSheddable, 1},
        PriorityCase{"BodyLevel", "", "8", "nightly", PriorityClass::kCritical, 8},
        PriorityCase{"BodyNumericString", "", "\"2\"", "", PriorityClass::kBatch, 2},
        PriorityCase{"BodyNullIsAbsent", "", "null", "nightly", PriorityClass::kBatch, 3},
        PriorityCase{"HeaderBeatsBody", "critical", "\"batch\"", "", PriorityClass::kCritical, 9},
        PriorityCase{"HeaderBeatsTenant", "standard", nullptr, "nightly", PriorityClass::kStandard,
                     5},
        PriorityCase{"HeaderLevel", "0", "\"critical\"", "vip", PriorityClass::kSheddable, 0},
        PriorityCase{"HeaderLevelSeven", "7", nullptr, "", PriorityClass::kStandard, 7},
        PriorityCase{"HeaderAnyCaseAndSpaces", "  Batch ", nullptr, "vip", PriorityClass::kBatch,
                     3},
        PriorityCase{"BlankHeaderIsAbsent", "  ", "\"batch\"", "", PriorityClass::kBatch, 3}),
    [](const testing::TestParamInfo<PriorityCase>& info) { return info.param.name; });

TEST(PriorityTest, AuthenticatedTenantClassBeatsOptionsButNotTheRequest) {
  ParseOptions options;
  options.tenant_default_class["vip"] = PriorityClass::kCritical;
  RequestMeta meta;
  meta.tenant = "vip";
  meta.default_class = PriorityClass::kBatch;
  const std::string plain = R"({"model":"m","messages":[{"role":"user","content":"x"}]})";
  auto r = parse_openai(core::TaskKind::kChat, plain, meta, options);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r->priority_class, PriorityClass::kBatch);
  EXPECT_EQ(r->priority_level, 3);
  EXPECT_EQ(r->tenant, "vip");
  meta.priority_header = "critical";
  r = parse_openai(core::TaskKind::kChat, plain, meta, options);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->priority_class, PriorityClass::kCritical);
}

TEST(PriorityTest, EveryLevelMapsOntoItsClass) {
  const PriorityClass want[10] = {PriorityClass::kSheddable, PriorityClass::kSheddable,
                                  PriorityClass::kBatch,     PriorityClass::kBatch,
                                  PriorityClass::kStandard,  PriorityClass::kStandard,
                                  PriorityClass::kStandard,  PriorityClass::kStandard,
                                  PriorityClass::kCritical,  PriorityClass::kCritical};
  for (int level = 0; level <= 9; ++level) {
    const auto p = priority_from_text(std::to_string(level));
    ASSERT_TRUE(p) << level;
    EXPECT_EQ(p->cls, want[level]) << level;
    EXPECT_EQ(p->level, level);
  }
  EXPECT_FALSE(priority_from_text("10"));
  EXPECT_FALSE(priority_from_text("-1"));
  EXPECT_FALSE(priority_from_text("5.0"));
  EXPECT_FALSE(priority_from_text("urgent"));
  EXPECT_FALSE(priority_from_text(""));
  EXPECT_FALSE(priority_from_level(10));
}

struct LatencyCase {
  const char* name;
  const char* header;
  const char* body_latency;  // JSON value of "latency", nullptr for none
  LatencyClass want;
};

class LatencyTest : public testing::TestWithParam<LatencyCase> {};

TEST_P(LatencyTest, BodyFieldElseBatchClassElseInteractive) {
  const LatencyCase& c = GetParam();
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"x"}])";
  if (c.body_latency) body += std::string(R"(,"latency":)") + c.body_latency;
  body += "}";
  RequestMeta meta;
  meta.priority_header = c.header;
  auto r = parse_openai(core::TaskKind::kChat, body, meta, {});
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r->latency, c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Sources, LatencyTest,
    testing::Values(
        LatencyCase{"Default", "", nullptr, LatencyClass::kInteractive},
        LatencyCase{"BatchClass", "batch", nullptr, LatencyClass::kBatch},
        LatencyCase{"SheddableStaysInteractive", "sheddable", nullptr, LatencyClass::kInteractive},
        LatencyCase{"BodyBatch", "", "\"batch\"", LatencyClass::kBatch},
        LatencyCase{"BodyBeatsBatchClass", "batch", "\"interactive\"", LatencyClass::kInteractive},
        LatencyCase{"BodyNullIsAbsent", "batch", "null", LatencyClass::kBatch}),
    [](const testing::TestParamInfo<LatencyCase>& info) { return info.param.name; });

}  // namespace
}  // namespace autoglm::parse
