#include "dispatch/token_counter.hpp"

#include <string.h>  // memmem (GNU)

#include <algorithm>
#include <cctype>

namespace autoglm::dispatch {

namespace {
constexpr std::string_view kEvent = "data: {";
constexpr std::string_view kUsage = "\"completion_tokens\":";
constexpr std::size_t kKeep = 48;  // longer than any pattern plus a number

// `needle` in `text` from `from` on, or npos. memmem, not string_view::find: find stops at
// every occurrence of the needle's first byte, and '"' or 'd' come every few bytes of JSON.
std::size_t find_bytes(std::string_view text, std::string_view needle, std::size_t from) {
  if (from >= text.size()) return std::string_view::npos;
  const void* at = memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
  return at == nullptr ? std::string_view::npos
                       : static_cast<std::size_t>(static_cast<const char*>(at) - text.data());
}

}  // namespace

void TokenCounter::feed(std::string_view bytes) {
  text_.assign(tail_);  // reused buffers: no allocation per chunk once warm
  text_.append(bytes);
  const std::string_view text = text_;
  // Count only events that start in the new bytes: the kept tail was searched before.
  const std::size_t fresh_from =
      tail_.size() >= kEvent.size() ? tail_.size() - kEvent.size() + 1 : 0;
  for (std::size_t pos = find_bytes(text, kEvent, fresh_from); pos != std::string_view::npos;
       pos = find_bytes(text, kEvent, pos + 1)) {
    ++events_;
  }
  for (std::size_t pos = find_bytes(text, kUsage, 0); pos != std::string_view::npos;
       pos = find_bytes(text, kUsage, pos + 1)) {
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
  tail_.assign(text.substr(text.size() - std::min(text.size(), kKeep)));
}

std::int64_t TokenCounter::count() const {
  if (usage_tokens_ >= 0) return usage_tokens_;
  // A chat stream opens with a role event and closes with a finish event.
  return std::max<std::int64_t>(0, events_ - 1);
}

}  // namespace autoglm::dispatch
