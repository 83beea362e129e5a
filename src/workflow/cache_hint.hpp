// Cache-aware DAG placement: which node a downstream task should prefer, because its prompt
// extends an upstream task's prompt or output (that prefix sits in the node's KV cache). Pure.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace autoglm::workflow {

struct UpstreamRun {
  std::string_view prompt;  // the upstream's prompt text (prompt_text of its payload)
  std::string_view output;  // its output text
  std::string_view ran_on;  // the node that ran it
};

// Texts shorter than this are too common to say anything about a cache.
inline constexpr std::size_t kMinSharedChars = 16;

// The ran_on of the upstream whose prompt or output (at least kMinSharedChars long) the
// downstream prompt contains, the longest such text winning; "" when none does.
std::string preferred_node_hint(std::string_view downstream_prompt,
                                std::span<const UpstreamRun> upstream);

}  // namespace autoglm::workflow
