// Payload templating from upstream outputs, output extraction, cache-aware placement hints
// and elastic vision batching.
#include "workflow/templating.hpp"

#include <gtest/gtest.h>

#include "workflow/cache_hint.hpp"
#include "workflow/vision_batch.hpp"

namespace autoglm::workflow {
namespace {

TEST(Templating, FindsReferencesOncePerTask) {
  EXPECT_EQ(template_refs(
                R"({"a": "{{tasks.T1.output}} and {{ tasks.T2.output }} {{tasks.T1.output}}"})"),
            (std::vector<std::string>{"T1", "T2"}));
  EXPECT_TRUE(template_refs(R"({"a": "{{event.name}} {{tasks..output}}"})").empty());
}

TEST(Templating, SubstitutesAndEscapesJson) {
  const std::map<std::string, std::string> out = {{"T1", "He said \"hi\"\\n\nnext\x01"}};
  auto r = render_payload(
      R"({"messages":[{"role":"user","content":"Translate: {{tasks.T1.output}}"}],"{{tasks.T1.output}}":1})",
      out);
  ASSERT_TRUE(r);
  EXPECT_EQ(
      *r,
      R"({"messages":[{"role":"user","content":"Translate: He said \"hi\"\\n\nnext\u0001"}],"{{tasks.T1.output}}":1})");
}

TEST(Templating, MissingOutputBecomesEmptyAndOtherBracesStay) {
  auto r = render_payload(R"({"p": "[{{tasks.T9.output}}] {{other}}"})", {});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, R"({"p":"[] {{other}}"})");
  EXPECT_EQ(render_payload("{bad", {}).status().param(), "payload");
}

TEST(Templating, OutputTextReadsOpenAiResults) {
  EXPECT_EQ(output_text(R"({"choices":[{"message":{"role":"assistant","content":"Bonjour"}}]})"),
            "Bonjour");
  EXPECT_EQ(output_text(R"({"choices":[{"text":"done"}]})"), "done");
  EXPECT_EQ(output_text(R"("plain")"), "plain");
  EXPECT_EQ(output_text(R"({"label":"cat"})"), R"({"label":"cat"})");
}

TEST(Templating, PromptTextTakesContentFields) {
  EXPECT_EQ(
      prompt_text(
          R"({"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]})"),
      "a\nb");
}

TEST(CacheHint, PrefersTheNodeOfTheUpstreamWhoseOutputIsInThePrompt) {
  const std::string out1 = "The quarterly report says revenue grew 12 percent.";
  std::vector<UpstreamRun> ups = {
      {"short", out1, "node-a"},
      {"unrelated prompt that is long enough", "other output text here", "node-b"}};
  EXPECT_EQ(preferred_node_hint("Translate: " + out1, ups), "node-a");
  EXPECT_EQ(preferred_node_hint("nothing shared here at all", ups), "");
  // Short texts are too common to count.
  std::vector<UpstreamRun> tiny = {{"", "ok", "node-c"}};
  EXPECT_EQ(preferred_node_hint("ok ok ok", tiny), "");
}

TEST(CacheHint, LongestSharedTextWins) {
  std::vector<UpstreamRun> ups = {{"a shared system prompt!", "", "node-a"},
                                  {"a shared system prompt! plus much more context", "", "node-b"}};
  EXPECT_EQ(
      preferred_node_hint("a shared system prompt! plus much more context, then a question", ups),
      "node-b");
}

TEST(VisionBatch, FillsFreeMemoryAfterTheReserve) {
  BatchLimits lim;
  lim.per_image_bytes = 100;
  lim.reserve_bytes = 50;
  std::vector<VisionItem> q(6, VisionItem{"llava", 3, 1, 0});
  EXPECT_EQ(choose_vision_batch(q, 450, lim).size(), 4u);
  EXPECT_EQ(choose_vision_batch(q, 1000, lim).size(), 6u);
  EXPECT_TRUE(choose_vision_batch(q, 120, lim).empty());
  lim.max_batch = 2;
  EXPECT_EQ(choose_vision_batch(q, 1000, lim).size(), 2u);
}

TEST(VisionBatch, TakesOneModelInPriorityOrderAndStopsAtTheFirstMisfit) {
  BatchLimits lim;
  lim.per_image_bytes = 100;
  lim.reserve_bytes = 0;
  std::vector<VisionItem> q = {{"a", 3, 1, 0}, {"b", 8, 1, 0}, {"b", 3, 4, 0}, {"b", 3, 1, 0}};
  // b (priority 8) leads; the 4-image item does not fit, so nothing behind it jumps ahead.
  EXPECT_EQ(choose_vision_batch(q, 300, lim), (std::vector<std::size_t>{1}));
  EXPECT_EQ(choose_vision_batch(q, 600, lim), (std::vector<std::size_t>{1, 2, 3}));
  std::vector<VisionItem> sized = {{"a", 3, 1, 250}, {"a", 3, 1, 0}};
  EXPECT_EQ(choose_vision_batch(sized, 360, lim), (std::vector<std::size_t>{0, 1}));
}

}  // namespace
}  // namespace autoglm::workflow
