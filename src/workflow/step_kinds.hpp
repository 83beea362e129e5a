// Task kinds: the OpenAI kinds (chat, completion, embedding), whose payload is the OpenAI
// body itself, and the named pipeline steps (image_classification, speech_transcription,
// ...), whose small payload becomes a chat request the cluster can serve. This one table
// is read by submission-time validation (tasks, DAGs, triggers) and by the executor, so a
// kind that is accepted always runs. Pure functions; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::workflow {

// What a pipeline step's payload carries besides the common fields.
enum class StepInput {
  kOpenAi,  // chat, completion, embedding: the payload is the OpenAI body, passed through
  kImages,  // "image_url" or "images" (vision)
  kAudio,   // "audio" base64 + "format" (speech)
  kText,    // "text"
};

// A pipeline step's own payload field (besides the common ones), and the sentence it adds
// to the instruction: "{}" stands for the value (a list is joined with ", ").
struct StepField {
  std::string_view name;
  bool required = false;
  bool list = false;  // a list of strings rather than one string
  std::string_view clause;
};

struct StepKind {
  std::string_view name;
  std::string_view route;     // the gateway's OpenAI route the task runs on
  std::string_view modality;  // "" for OpenAI kinds: read from the payload's parts
  StepInput input = StepInput::kOpenAi;
  std::string_view instruction;       // pipeline steps: the default instruction to the model
  int max_tokens = 0;                 // pipeline steps: the default answer budget
  std::span<const StepField> fields;  // pipeline steps: their own payload fields
};

// Every kind, OpenAI kinds first, in the order documented in docs/workflows.md.
std::span<const StepKind> step_kinds();
// nullptr for an unknown name.
const StepKind* find_step_kind(std::string_view name);
// "chat, completion, embedding, image_classification, ...": for error messages.
std::string known_step_kinds();

// The kind named `name`, or kInvalidArgument with param `param` (e.g. "kind",
// "tasks[2].kind") saying which kinds exist.
core::Result<const StepKind*> step_kind_or_error(std::string_view name, std::string_view param);

// The OpenAI request body a task of `kind` sends: for OpenAI kinds `payload` itself (only
// checked to be an object); for a pipeline step, a chat request built from the payload
// (docs/workflows.md, "Pipeline steps"). Every payload problem is kInvalidArgument naming
// `param_prefix` + ".<field>" ("payload.images[1]"). String values may hold
// {{tasks.X.output}} or {{event...}} templates: they are checked as strings only.
core::Result<std::string> step_request_body(const StepKind& kind, std::string_view payload,
                                            std::string_view param_prefix = "payload");

}  // namespace autoglm::workflow
