#include "dispatch/token_counter.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace autoglm::dispatch {

namespace {
constexpr std::string_view kEvent = "data: {";
constexpr std::size_t kEventRare = 6;  // '{'
constexpr std::string_view kUsage = "\"completion_tokens\":";
constexpr std::size_t kUsageRare = 11;  // '_'
static_assert(kEvent[kEventRare] == '{' && kUsage[kUsageRare] == '_');
constexpr std::size_t kKeep = 48;  // longer than any pattern plus a number

// `needle` in `text` at or after `from`, or npos. Scans with memchr (vectorised) for the
// needle's byte at `rare` and compares the whole needle only there: '"' or 'd' come every
// few bytes of JSON, '_' or '{' a few times per event. Most of those hits are not the
// needle, and its first and last bytes tell so before a full compare.
std::size_t find_bytes(std::string_view text, std::string_view needle, std::size_t rare,
                       std::size_t from) {
  const char* const data = text.data();
  const std::size_t last = needle.size() - 1;
  for (std::size_t at = from + rare; at < text.size();) {
    const void* hit = std::memchr(data + at, needle[rare], text.size() - at);
    if (hit == nullptr) break;
    const std::size_t pos = static_cast<std::size_t>(static_cast<const char*>(hit) - data) - rare;
    if (pos + needle.size() > text.size()) break;  // no room for the needle from here on
    if (data[pos] == needle[0] && data[pos + last] == needle[last] &&
        std::memcmp(data + pos, needle.data(), needle.size()) == 0) {
      return pos;
    }
    at = pos + rare + 1;
  }
  return std::string_view::npos;
}

}  // namespace

void TokenCounter::feed(std::string_view bytes) {
  text_.assign(tail_);  // reused buffers: no allocation per chunk once warm
  text_.append(bytes);
  const std::string_view text = text_;
  // Count only events that start in the new bytes: the kept tail was searched before.
  const std::size_t fresh_from =
      tail_.size() >= kEvent.size() ? tail_.size() - kEvent.size() + 1 : 0;
  for (std::size_t pos = find_bytes(text, kEvent, kEventRare, fresh_from);
       pos != std::string_view::npos; pos = find_bytes(text, kEvent, kEventRare, pos + 1)) {
    ++events_;
  }
  for (std::size_t pos = find_bytes(text, kUsage, kUsageRare, 0); pos != std::string_view::npos;
       pos = find_bytes(text, kUsage, kUsageRare, pos + 1)) {
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
