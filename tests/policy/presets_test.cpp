#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "policy/pipeline.hpp"

namespace autoglm::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Presets, AllNamedPoliciesExistAndBuild) {
  EXPECT_THAT(preset_names(),
              ElementsAre("round_robin", "random", "least_request", "p2c", "seed_load", "resource",
                          "latency_weighted", "prefix_aware", "slo_aware", "dynamic"));
  for (const auto& name : preset_names()) {
    auto spec = preset(name);
    ASSERT_TRUE(spec.is_ok()) << name;
    EXPECT_EQ(spec->name, name);
    auto p = build_pipeline(*spec);
    ASSERT_TRUE(p.is_ok()) << name << ": " << p.status().message();
    EXPECT_EQ((*p)->name(), name);
  }
}

TEST(Presets, EveryPresetStartsWithTheBaseFilters) {
  for (const auto& name : preset_names()) {
    const auto spec = *preset(name);
    ASSERT_GE(spec.filters.size(), 3u) << name;
    EXPECT_THAT(std::vector<std::string>(spec.filters.begin(), spec.filters.begin() + 3),
                ElementsAre("healthy", "serves_model", "tenant_allowed"))
        << name;
  }
}

TEST(Presets, LoadAwarePresetsSkipSaturatedAndHotNodes) {
  for (const auto& name : preset_names()) {
    if (name == "round_robin" || name == "random") continue;
    const auto spec = *preset(name);
    EXPECT_TRUE(has(spec.filters, "not_saturated")) << name;
    EXPECT_TRUE(has(spec.filters, "below_cpu_threshold")) << name;
  }
}

TEST(Presets, DynamicIsTheComposite) {
  auto p = std::move(build_pipeline(*preset("dynamic"))).value();
  EXPECT_EQ(p->describe(),
            "filters: healthy, serves_model, tenant_allowed, slow_start, not_saturated, "
            "below_cpu_threshold, "
            "batch_lane | scorers: predicted_latency*3, prefix_affinity*2, queue_depth*1, "
            "kv_cache_free*1, energy*0.1 | picker: max_score");
}

TEST(Presets, UnknownPolicyListsTheKnownOnes) {
  auto r = preset("fastest");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("unknown policy 'fastest'"));
  for (const auto& name : preset_names()) EXPECT_THAT(r.status().message(), HasSubstr(name));
}

TEST(BuildPipeline, UnknownFilterListsTheKnownFilters) {
  auto r = build_pipeline({"mine", {"healthy", "is_fast"}, {}, "max_score"});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("pipeline 'mine': unknown filter 'is_fast'"));
  for (const auto& name : filter_names()) EXPECT_THAT(r.status().message(), HasSubstr(name));
}

TEST(BuildPipeline, UnknownScorerListsTheKnownScorers) {
  auto r = build_pipeline({"mine", {}, {{"vibes", 1}}, "max_score"});
  ASSERT_FALSE(r.is_ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown scorer 'vibes'"));
  for (const auto& name : scorer_names()) EXPECT_THAT(r.status().message(), HasSubstr(name));
}

TEST(BuildPipeline, UnknownPickerListsTheKnownPickers) {
  auto r = build_pipeline({"mine", {}, {}, "coin_flip"});
  ASSERT_FALSE(r.is_ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown picker 'coin_flip'"));
  for (const auto& name : picker_names()) EXPECT_THAT(r.status().message(), HasSubstr(name));
}

TEST(BuildPipeline, RejectsBadWeightsAndDuplicateScorers) {
  auto negative = build_pipeline({"mine", {}, {{"queue_depth", -1}}, "max_score"});
  ASSERT_FALSE(negative.is_ok());
  EXPECT_THAT(negative.status().message(), HasSubstr("weight"));
  auto twice = build_pipeline({"mine", {}, {{"queue_depth", 1}, {"queue_depth", 2}}, ""});
  ASSERT_FALSE(twice.is_ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("listed twice"));
}

TEST(BuildPipeline, EmptyPickerMeansMaxScore) {
  auto r = build_pipeline({"mine", {"healthy"}, {{"queue_depth", 1}}, ""});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ((*r)->picker().name(), "max_score");
}

TEST(PartNames, AreListedForDocsAndErrors) {
  EXPECT_THAT(filter_names(),
              ElementsAre("healthy", "serves_model", "tenant_allowed", "not_saturated",
                          "below_cpu_threshold", "batch_lane", "slow_start"));
  EXPECT_THAT(picker_names(), ElementsAre("max_score", "weighted_random", "p2c", "round_robin"));
  EXPECT_EQ(scorer_names().size(), 9u);
}

}  // namespace
}  // namespace autoglm::policy
