// Payload templating for DAG nodes: {{tasks.T1.output}} inside JSON string values becomes
// the text of upstream T1's output. Pure functions; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::workflow {

// The task ids referenced by {{tasks.<id>.output}} anywhere in `text`, in order of first use.
std::vector<std::string> template_refs(std::string_view text);

// Replaces every {{tasks.<id>.output}} (spaces inside the braces allowed) in every string
// of the JSON document `payload`, keys untouched, with outputs[id] ("" when absent: an
// upstream that was skipped or failed under all_done). Substitution happens on parsed
// strings and the document is re-serialised, so quotes, backslashes and control
// characters in outputs are escaped correctly. Other {{...}} text is left as is.
core::Result<std::string> render_payload(std::string_view payload,
                                         const std::map<std::string, std::string>& outputs);

// The text a task produced, from its stored result JSON: an OpenAI chat result's
// choices[0].message.content, a completion's choices[0].text, a JSON string's value,
// else the JSON itself.
std::string output_text(std::string_view result_json);

// The prompt strings of a payload (values under "content", "prompt", "input" and "text",
// at any depth) joined with '\n' in document order: what cache-aware placement compares.
std::string prompt_text(std::string_view payload_json);

}  // namespace autoglm::workflow
