#include "metrics/registry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "monitor/prometheus_text.hpp"

namespace autoglm::metrics {
namespace {

using monitor::parse_prometheus_text;

TEST(Registry, RendersHelpTypeAndSeries) {
  Registry r;
  auto& requests =
      r.counter("autoglm_requests_total", "Requests answered.", {"model", "node", "status"});
  requests.with({"llama", "gpu-1", "200"}).inc(3);
  requests.with({"llama", "gpu-2", "503"}).inc();
  r.gauge("autoglm_queue_depth", "Tasks waiting.", {"class"}).with({"interactive"}).set(5);
  std::string text = r.render();
  EXPECT_NE(text.find("# HELP autoglm_requests_total Requests answered.\n"
                      "# TYPE autoglm_requests_total counter\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("autoglm_requests_total{model=\"llama\",node=\"gpu-1\",status=\"200\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("# TYPE autoglm_queue_depth gauge\nautoglm_queue_depth{class=\"interactive\"} 5\n"),
      std::string::npos)
      << text;
}

TEST(Registry, OutputParsesBackWithTheMonitorParser) {
  Registry r;
  r.counter("autoglm_shed_total", "Tasks shed.\nSecond line with \\ backslash.").with({}).inc(2);
  auto& weird = r.gauge("autoglm_node_score", "Score.", {"node"});
  weird.with({"a \"quoted\" \\ node\nwith newline"}).set(0.25);
  weird.with({"nan-node"}).set(std::numeric_limits<double>::quiet_NaN());
  weird.with({"inf-node"}).set(-std::numeric_limits<double>::infinity());
  auto& ttft =
      r.histogram("autoglm_ttft_seconds", "Time to first token.", {"model"}, {0.1, 0.5, 1});
  for (double v : {0.05, 0.2, 0.7, 3.0}) ttft.with({"llama"}).observe(v);

  auto e = parse_prometheus_text(r.render());
  ASSERT_TRUE(e.errors.empty()) << e.errors.front();
  EXPECT_EQ(e.help.at("autoglm_shed_total"), "Tasks shed.\nSecond line with \\ backslash.");
  EXPECT_EQ(e.types.at("autoglm_ttft_seconds"), "histogram");

  auto scores = e.find("autoglm_node_score");
  ASSERT_EQ(scores.size(), 3u);
  bool saw_weird = false, saw_nan = false, saw_inf = false;
  for (const auto* s : scores) {
    const std::string& node = *s->label("node");
    if (node == "a \"quoted\" \\ node\nwith newline") saw_weird = s->value == 0.25;
    if (node == "nan-node") saw_nan = std::isnan(s->value);
    if (node == "inf-node") saw_inf = std::isinf(s->value) && s->value < 0;
  }
  EXPECT_TRUE(saw_weird && saw_nan && saw_inf);

  auto buckets = e.find("autoglm_ttft_seconds_bucket");
  ASSERT_EQ(buckets.size(), 4u);
  EXPECT_EQ(*buckets[0]->label("le"), "0.1");
  EXPECT_EQ(*buckets[0]->label("model"), "llama");
  EXPECT_EQ(buckets[0]->value, 1);
  EXPECT_EQ(buckets[1]->value, 2);
  EXPECT_EQ(buckets[2]->value, 3);
  EXPECT_EQ(*buckets[3]->label("le"), "+Inf");
  EXPECT_EQ(buckets[3]->value, 4);
  EXPECT_DOUBLE_EQ(e.find("autoglm_ttft_seconds_sum")[0]->value, 3.95);
  EXPECT_EQ(e.find("autoglm_ttft_seconds_count")[0]->value, 4);
}

TEST(Registry, SameLabelsSameSeries) {
  Registry r;
  auto& f = r.counter("c_total", "c", {"a"});
  Counter& one = f.with({"x"});
  one.inc();
  f.with({"x"}).inc();
  EXPECT_EQ(&one, &f.with({"x"}));
  // Every way of naming the labels finds the same series (lookups compare string views).
  const std::string x = "x";
  EXPECT_EQ(&one, &f.with(std::vector<std::string>{x}));
  const std::string_view views[] = {x};
  EXPECT_EQ(&one, &f.with(std::span<const std::string_view>(views)));
  EXPECT_NE(&one, &f.with({"xx"}));
  EXPECT_DOUBLE_EQ(one.value(), 2);
  EXPECT_EQ(f.size(), 2u);
  f.remove({"xx"});
  EXPECT_EQ(f.size(), 1u);
  f.remove({"x"});
  EXPECT_EQ(f.size(), 0u);
  EXPECT_EQ(r.render().find("c_total{"), std::string::npos);
}

TEST(Registry, SeriesRenderInLabelOrderWhateverTheirCreation) {
  Registry r;
  auto& f = r.counter("c_total", "c", {"a", "b"});
  // Same bytes split differently are different series.
  f.with({"ab", "c"}).inc(1);
  f.with({"a", "bc"}).inc(2);
  f.with({"a", "b"}).inc(3);
  EXPECT_EQ(f.size(), 3u);
  const std::string text = r.render();
  const auto first = text.find("c_total{a=\"a\",b=\"b\"} 3\n");
  const auto second = text.find("c_total{a=\"a\",b=\"bc\"} 2\n");
  const auto third = text.find("c_total{a=\"ab\",b=\"c\"} 1\n");
  ASSERT_NE(third, std::string::npos) << text;
  EXPECT_LT(first, second) << text;
  EXPECT_LT(second, third) << text;
}

TEST(Registry, CallbackFamiliesAreReadAtRenderTime) {
  Registry r;
  int depth = 1;
  r.callback("autoglm_heartbeat_age_seconds", "Age.", "gauge", {"node"}, [&] {
    return CallbackFamily::Series{{{"gpu-1"}, double(depth)}, {{"wrong", "arity"}, 9.0}};
  });
  depth = 7;
  auto e = parse_prometheus_text(r.render());
  ASSERT_EQ(e.find("autoglm_heartbeat_age_seconds").size(), 1u);
  EXPECT_EQ(e.find("autoglm_heartbeat_age_seconds")[0]->value, 7);
}

TEST(Registry, RejectsBadDeclarations) {
  Registry r;
  r.counter("ok_total", "ok");
  EXPECT_THROW(r.counter("ok_total", "again"), std::invalid_argument);
  EXPECT_THROW(r.gauge("9bad", "x"), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(r.gauge("g2", "x", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h", "x", {"le"}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h2", "x", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h3", "x", {}, {}), std::invalid_argument);
  EXPECT_THROW(r.callback("cb", "x", "histogram", {}, {}), std::invalid_argument);
  auto& g = r.gauge("g3", "x", {"a"});
  EXPECT_THROW(g.with({"1", "2"}), std::invalid_argument);
}

TEST(TextFormat, NamesAndNumbers) {
  EXPECT_TRUE(valid_metric_name("vllm:num_requests_running"));
  EXPECT_FALSE(valid_metric_name("a-b"));
  EXPECT_TRUE(valid_label_name("model_name"));
  EXPECT_FALSE(valid_label_name("model:name"));
  EXPECT_EQ(format_value(3), "3");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(escape_help("a\\b\nc\"d"), "a\\\\b\\nc\"d");
}

}  // namespace
}  // namespace autoglm::metrics
