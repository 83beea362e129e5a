// Reading several fields of a JSON object in one pass. Internal to parse/.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>

namespace autoglm::parse {

// The values of `keys` in `obj` (null where absent), found in one pass over its entries.
// A lookup per key scans the entries again each time, and most keys a parser asks for are
// absent, which is a full scan. Keys are unique in a parsed object (the last one wins).
template <std::size_t N>
std::array<const boost::json::value*, N> pick(const boost::json::object& obj,
                                              const std::array<std::string_view, N>& keys) {
  std::array<const boost::json::value*, N> found{};
  for (const auto& entry : obj) {
    const std::string_view key(entry.key().data(), entry.key().size());
    for (std::size_t i = 0; i < N; ++i) {
      if (key == keys[i]) {
        found[i] = &entry.value();
        break;
      }
    }
  }
  return found;
}

}  // namespace autoglm::parse
