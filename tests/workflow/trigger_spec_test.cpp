// Trigger specs: cron trigger fields and errors, event triggers, and event matching with
// templating and modality-based default priorities.
#include "workflow/trigger_spec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace autoglm::workflow {
namespace {

namespace json = boost::json;

TEST(CronTriggerSpec, ParsesTheSeedExample) {
  auto t = parse_cron_trigger(R"({"id": "classify-daily", "schedule": "0 8 * * *",
      "missed": "run_once", "overlap": "queue",
      "task": {"kind": "classify_images", "model": "vit-b16", "modality": "vision", "payload": {}}})");
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_EQ(t->id, "classify-daily");
  EXPECT_EQ(t->tz.name(), "UTC");
  EXPECT_EQ(t->missed, MissedPolicy::kRunOnce);
  EXPECT_EQ(t->overlap, OverlapPolicy::kQueue);
  EXPECT_EQ(t->target.kind, TriggerTarget::Kind::kTask);
}

TEST(CronTriggerSpec, ErrorsNameTheField) {
  EXPECT_EQ(parse_cron_trigger(R"({"schedule": "@daily", "task": {}})").status().param(), "id");
  EXPECT_EQ(
      parse_cron_trigger(R"({"id": "x", "schedule": "0 25 * * *", "task": {}})").status().param(),
      "schedule");
  EXPECT_EQ(parse_cron_trigger(
                R"({"id": "x", "schedule": "@daily", "timezone": "Nowhere/City", "task": {}})")
                .status()
                .param(),
            "timezone");
  EXPECT_EQ(
      parse_cron_trigger(R"({"id": "x", "schedule": "@daily", "missed": "later", "task": {}})")
          .status()
          .param(),
      "missed");
  EXPECT_EQ(
      parse_cron_trigger(R"({"id": "x", "schedule": "@daily", "overlap": "both", "task": {}})")
          .status()
          .param(),
      "overlap");
  EXPECT_FALSE(parse_cron_trigger(R"({"id": "x", "schedule": "@daily"})"));
  EXPECT_FALSE(parse_cron_trigger(R"({"id": "x", "schedule": "@daily", "task": {}, "dag": {}})"));
}

EventTriggerSpec trigger(std::string id, std::string event, std::vector<std::string> modalities,
                         std::string task_body) {
  auto t =
      parse_event_trigger(json::serialize(json::object{{"id", id},
                                                       {"event", event},
                                                       {"modalities", json::value_from(modalities)},
                                                       {"task", json::parse(task_body)}}));
  EXPECT_TRUE(t) << t.status().message();
  return *t;
}

TEST(EventTrigger, MatchesNameAndModalityAndRendersTheTemplate) {
  std::vector<EventTriggerSpec> triggers = {
      trigger("transcribe", "audio.uploaded", {"speech"},
              R"({"kind": "chat", "model": "whisper", "payload": {"messages": [{"role": "user",
                  "content": "Transcribe {{event.payload.url}} for {{event.name}}"}]}})"),
      trigger("thumbs", "image.uploaded", {},
              R"({"kind": "resize", "payload": {"src": "{{event.payload}}"}})")};
  auto ev = parse_event(R"({"name": "audio.uploaded", "modality": "speech",
                            "payload": {"url": "s3://b/a \"1\".wav"}})");
  ASSERT_TRUE(ev);
  auto subs = match_event(*ev, triggers);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].trigger_id, "transcribe");
  auto body = json::parse(subs[0].target.body).as_object();
  EXPECT_EQ(body["payload"].at("messages").at(0).at("content").as_string(),
            "Transcribe s3://b/a \"1\".wav for audio.uploaded");
  EXPECT_EQ(body["modality"].as_string(), "speech");
  const auto speech_priority = body["priority"].as_int64();

  auto vision =
      parse_event(R"({"name": "image.uploaded", "modality": "vision", "payload": "img-7"})");
  auto vsubs = match_event(*vision, triggers);
  ASSERT_EQ(vsubs.size(), 1u);
  auto vbody = json::parse(vsubs[0].target.body).as_object();
  EXPECT_EQ(vbody["payload"].at("src").as_string(), "img-7");
  EXPECT_GT(speech_priority, vbody["priority"].as_int64());  // real-time first

  auto wrong_modality = parse_event(R"({"name": "audio.uploaded", "modality": "text"})");
  EXPECT_TRUE(match_event(*wrong_modality, triggers).empty());
}

TEST(EventTrigger, EventAndTriggerErrors) {
  EXPECT_EQ(parse_event(R"({"payload": {}})").status().param(), "name");
  EXPECT_EQ(parse_event(R"({"name": "x", "modality": "smell"})").status().param(), "modality");
  EXPECT_EQ(parse_event_trigger(R"({"id": "a", "task": {}})").status().param(), "event");
  EXPECT_EQ(parse_event_trigger(R"({"id": "a", "event": "e", "modalities": ["touch"], "task": {}})")
                .status()
                .param(),
            "modalities");
}

}  // namespace
}  // namespace autoglm::workflow
