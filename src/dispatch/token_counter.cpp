#include "dispatch/token_counter.hpp"

#include <algorithm>
#include <cctype>

namespace autoglm::dispatch {

namespace {
constexpr std::string_view kEvent = "data: {";
constexpr std::string_view kUsage = "\"completion_tokens\":";
constexpr std::size_t kKeep = 48;  // longer than any pattern plus a number
}  // namespace

void TokenCounter::feed(std::string_view bytes) {
  std::string text = tail_;
  text.append(bytes);
  // Count only events that start in the new bytes: the kept tail was searched before.
  const std::size_t fresh_from = tail_.size() >= kEvent.size() ? tail_.size() - kEvent.size() + 1 : 0;
  for (std::size_t pos = text.find(kEvent, fresh_from); pos != std::string::npos;
       pos = text.find(kEvent, pos + 1)) {
    ++events_;
  }
  for (std::size_t pos = text.find(kUsage); pos != std::string::npos;
       pos = text.find(kUsage, pos + 1)) {
    std::size_t i = pos + kUsage.size();
    while (i < text.size() && text[i] == ' ') ++i;
    std::int64_t value = 0;
    bool digits = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i++] - '0');
      digits = true;
    }
    if (digits && i < text.size()) usage_tokens_ = value;  // a number cut by the chunk end waits
  }
  tail_ = text.substr(text.size() - std::min(text.size(), kKeep));
}

std::int64_t TokenCounter::count() const {
  if (usage_tokens_ >= 0) return usage_tokens_;
  // A chat stream opens with a role event and closes with a finish event.
  return std::max<std::int64_t>(0, events_ - 1);
}

}  // namespace autoglm::dispatch
