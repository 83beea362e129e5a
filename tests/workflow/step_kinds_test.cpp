// The table of task kinds: every pipeline step becomes a chat request the parser reads
// with the step's modality, bad payloads are field errors naming the field, and task
// submission uses the same table (unknown kinds rejected, modality and priority follow).
#include "workflow/step_kinds.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "parse/task_parser.hpp"
#include "workflow/task_request.hpp"

namespace autoglm::workflow {
namespace {

namespace json = boost::json;

json::object body_of(std::string_view kind, std::string_view payload) {
  const StepKind* k = find_step_kind(kind);
  EXPECT_NE(k, nullptr) << kind;
  if (k == nullptr) return {};
  auto body = step_request_body(*k, payload);
  EXPECT_TRUE(body) << body.status().message();
  return body ? json::parse(*body).as_object() : json::object{};
}

// The modality our OpenAI parser gives the request a step runs as.
core::Modality parsed_modality(const json::object& body) {
  json::object with_model = body;
  with_model["model"] = "m";
  auto spec = parse::parse_openai(core::TaskKind::kChat, json::serialize(with_model), {}, {});
  EXPECT_TRUE(spec) << spec.status().message();
  return spec ? spec->modality : core::Modality::kText;
}

std::string error_param(std::string_view kind, std::string_view payload) {
  auto body = step_request_body(*find_step_kind(kind), payload);
  EXPECT_FALSE(body) << kind << " accepted " << payload;
  return body ? std::string("<accepted>") : body.status().param();
}

TEST(StepKinds, TheTableNamesEachKindOnceWithARoute) {
  std::set<std::string_view> names;
  for (const auto& k : step_kinds()) {
    EXPECT_TRUE(names.insert(k.name).second) << k.name;
    EXPECT_TRUE(k.route.starts_with("/v1/")) << k.name;
    const bool openai = k.input == StepInput::kOpenAi;
    EXPECT_EQ(k.modality.empty(), openai) << k.name;
    EXPECT_EQ(k.instruction.empty(), openai) << k.name;
    EXPECT_NE(known_step_kinds().find(k.name), std::string::npos);
  }
  for (auto name : {"chat", "completion", "embedding", "image_classification", "image_captioning",
                    "ocr", "speech_transcription", "summarization", "translation"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
}

TEST(StepKinds, UnknownKindsAreErrorsListingTheKnownOnes) {
  auto k = step_kind_or_error("resize", "tasks[1].kind");
  ASSERT_FALSE(k);
  EXPECT_EQ(k.status().param(), "tasks[1].kind");
  EXPECT_NE(k.status().message().find("'resize' is unknown"), std::string::npos);
  EXPECT_NE(k.status().message().find("chat, completion, embedding, image_classification"),
            std::string::npos)
      << k.status().message();
  EXPECT_FALSE(step_kind_or_error("", "kind"));
  EXPECT_EQ(*step_kind_or_error("ocr", "kind"), find_step_kind("ocr"));
}

TEST(StepKinds, OpenAiKindsPassTheirPayloadThrough) {
  const std::string payload = R"({"messages":[{"role":"user","content":"hi"}],"x":1})";
  auto body = step_request_body(*find_step_kind("chat"), payload);
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, payload);
  EXPECT_EQ(error_param("embedding", "[1]"), "payload");
}

TEST(StepKinds, ImageClassificationIsAVisionChatWithTheLabels) {
  auto body = body_of("image_classification",
                      R"({"image_url": "https://img.example/cat.jpg", "labels": ["cat", "dog"],
                          "detail": "low"})");
  EXPECT_EQ(body.at("max_tokens").as_int64(), 16);
  const auto& content = body.at("messages").at(0).at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  const std::string text(content[0].at("text").as_string());
  EXPECT_NE(text.find("Classify"), std::string::npos);
  EXPECT_NE(text.find("labels per image: cat, dog."), std::string::npos) << text;
  EXPECT_EQ(content[1].at("type").as_string(), "image_url");
  EXPECT_EQ(content[1].at("image_url").at("url").as_string(), "https://img.example/cat.jpg");
  EXPECT_EQ(content[1].at("image_url").at("detail").as_string(), "low");
  EXPECT_EQ(parsed_modality(body), core::Modality::kVision);
}

TEST(StepKinds, VisionStepsTakeSeveralImagesAndTheirOwnInstruction) {
  auto body = body_of("ocr", R"({"images": ["s3://docs/p1.png", "s3://docs/p2.png"],
                                 "instruction": "Read the invoice total.", "max_tokens": 20})");
  const auto& content = body.at("messages").at(0).at("content").as_array();
  ASSERT_EQ(content.size(), 3u);
  EXPECT_EQ(content[0].at("text").as_string(), "Read the invoice total.");
  EXPECT_EQ(content[2].at("image_url").at("url").as_string(), "s3://docs/p2.png");
  EXPECT_EQ(body.at("max_tokens").as_int64(), 20);
  EXPECT_EQ(parsed_modality(body_of("image_captioning", R"({"image_url": "a.png"})")),
            core::Modality::kVision);
}

TEST(StepKinds, SpeechTranscriptionIsAChatWithAnAudioPart) {
  auto body = body_of("speech_transcription",
                      R"({"audio": "UklGRiQAAABXQVZF", "format": "mp3", "language": "German"})");
  const auto& content = body.at("messages").at(0).at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  EXPECT_NE(std::string(content[0].at("text").as_string()).find("The speech is in German."),
            std::string::npos);
  EXPECT_EQ(content[1].at("type").as_string(), "input_audio");
  EXPECT_EQ(content[1].at("input_audio").at("data").as_string(), "UklGRiQAAABXQVZF");
  EXPECT_EQ(content[1].at("input_audio").at("format").as_string(), "mp3");
  EXPECT_EQ(parsed_modality(body), core::Modality::kSpeech);
  // wav unless the payload says otherwise.
  EXPECT_EQ(body_of("speech_transcription", R"({"audio": "UklGRg=="})")
                .at("messages")
                .at(0)
                .at("content")
                .at(1)
                .at("input_audio")
                .at("format")
                .as_string(),
            "wav");
}

TEST(StepKinds, TextStepsPutTheTextAfterTheInstruction) {
  auto body = body_of("translation", R"({"text": "Guten Morgen", "target_language": "English",
                                        "source_language": "German", "model": "m2"})");
  EXPECT_EQ(body.at("model").as_string(), "m2");
  const std::string content(body.at("messages").at(0).at("content").as_string());
  EXPECT_NE(content.find("Translate into English. The text is in German.\n\nGuten Morgen"),
            std::string::npos)
      << content;
  EXPECT_EQ(parsed_modality(body), core::Modality::kText);
  auto summary = body_of("summarization", R"({"text": "{{tasks.T1.output}}"})");
  EXPECT_NE(std::string(summary.at("messages").at(0).at("content").as_string())
                .find("\n\n{{tasks.T1.output}}"),
            std::string::npos);
}

TEST(StepKinds, BadPayloadsAreErrorsNamingTheField) {
  EXPECT_EQ(error_param("image_classification", "{}"), "payload.image_url");
  EXPECT_EQ(error_param("image_classification", R"({"image_url": "a", "images": ["b"]})"),
            "payload.image_url");
  EXPECT_EQ(error_param("image_classification", R"({"image_url": ""})"), "payload.image_url");
  EXPECT_EQ(error_param("image_classification", R"({"images": []})"), "payload.images");
  EXPECT_EQ(error_param("image_classification", R"({"images": ["a", 3]})"), "payload.images[1]");
  EXPECT_EQ(error_param("image_classification", R"({"image_url": "a", "labels": "cat"})"),
            "payload.labels");
  EXPECT_EQ(error_param("image_classification", R"({"image_url": "a", "detail": "max"})"),
            "payload.detail");
  EXPECT_EQ(error_param("ocr", R"({"image_url": "a", "labels": ["x"]})"), "payload.labels");
  EXPECT_EQ(error_param("ocr", R"({"image_url": "a", "max_tokens": 0})"), "payload.max_tokens");
  EXPECT_EQ(error_param("speech_transcription", "{}"), "payload.audio");
  EXPECT_EQ(error_param("speech_transcription", R"({"audio": "not base64!"})"), "payload.audio");
  EXPECT_EQ(error_param("speech_transcription", R"({"audio": "UklG", "format": "ogg"})"),
            "payload.format");
  EXPECT_EQ(error_param("summarization", R"({"text": 5})"), "payload.text");
  EXPECT_EQ(error_param("summarization", R"({"prompt": "x"})"), "payload.prompt");
  EXPECT_EQ(error_param("translation", R"({"text": "x"})"), "payload.target_language");
  // The unknown-field message says which fields the step takes.
  auto bad = step_request_body(*find_step_kind("ocr"), R"({"image": "a.png"})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("it takes image_url, images, detail, model"),
            std::string::npos)
      << bad.status().message();
}

TEST(StepKinds, ATemplateStandsInForAudioUntilTheTriggerFires) {
  EXPECT_TRUE(step_request_body(*find_step_kind("speech_transcription"),
                                R"({"audio": "{{event.payload}}"})"));
}

// --- submission through parse_task_request, which reads the same table ---

core::Result<store::TaskInput> submit(const std::string& body) {
  return parse_task_request(body, {}, {}, core::Time{});
}

TEST(StepKindSubmission, AVisionStepIsAVisionTaskInTheVisionDefaultClass) {
  auto in = submit(R"({"kind": "image_classification", "model": "vit", "modality": "text",
                       "payload": {"images": ["a.jpg", "b.jpg"]}})");
  ASSERT_TRUE(in) << in.status().message();
  EXPECT_EQ(in->modality, "vision");  // the kind's, whatever the request said
  EXPECT_EQ(in->priority, default_priority_for_modality("vision"));
  EXPECT_EQ(in->payload, R"({"images":["a.jpg","b.jpg"]})");  // stored as given
}

TEST(StepKindSubmission, SpeechOutranksVisionByDefaultAndAGivenPriorityWins) {
  auto speech = submit(R"({"kind": "speech_transcription", "model": "whisper",
                           "payload": {"audio": "UklGRg=="}})");
  ASSERT_TRUE(speech) << speech.status().message();
  EXPECT_EQ(speech->modality, "speech");
  EXPECT_EQ(speech->priority, 5);
  auto text = submit(R"({"kind": "summarization", "model": "m", "priority": "critical",
                         "payload": {"text": "long"}})");
  ASSERT_TRUE(text) << text.status().message();
  EXPECT_EQ(text->modality, "text");
  EXPECT_GT(text->priority, speech->priority);
}

TEST(StepKindSubmission, UnknownKindsBadPayloadsAndMissingModelsAreRefused) {
  auto unknown = submit(R"({"kind": "resize", "model": "m", "payload": {}})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().param(), "kind");
  EXPECT_NE(unknown.status().message().find("image_classification"), std::string::npos);
  auto bad = submit(R"({"kind": "ocr", "model": "m", "payload": {"images": [1]}})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().param(), "payload.images[0]");
  auto no_model = submit(R"({"kind": "ocr", "payload": {"image_url": "a.png"}})");
  ASSERT_FALSE(no_model);
  EXPECT_NE(no_model.status().param().find("model"), std::string::npos)
      << no_model.status().param();
}

TEST(StepKindSubmission, TheSchedulersViewOfAStepIsItsChatRequest) {
  store::TaskRecord rec;
  rec.id = 7;
  rec.input.kind = "image_classification";
  rec.input.model = "vit";
  rec.input.priority = 2;
  rec.input.payload = R"({"images": ["a.jpg", "b.jpg"]})";
  auto spec = task_spec_for(rec, {});
  ASSERT_TRUE(spec) << spec.status().message();
  EXPECT_EQ(spec->modality, core::Modality::kVision);
  EXPECT_EQ(spec->model, "vit");
  EXPECT_GE(spec->input_tokens, 2 * parse::ParseOptions{}.image_tokens);
}

}  // namespace
}  // namespace autoglm::workflow
