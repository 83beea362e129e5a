#include "workflow/cache_hint.hpp"

namespace autoglm::workflow {

std::string preferred_node_hint(std::string_view downstream_prompt,
                                std::span<const UpstreamRun> upstream) {
  std::string best;
  std::size_t best_len = 0;
  for (const auto& u : upstream) {
    if (u.ran_on.empty()) continue;
    for (std::string_view text : {u.prompt, u.output}) {
      if (text.size() >= kMinSharedChars && text.size() > best_len &&
          downstream_prompt.find(text) != std::string_view::npos) {
        best = std::string(u.ran_on);
        best_len = text.size();
      }
    }
  }
  return best;
}

}  // namespace autoglm::workflow
