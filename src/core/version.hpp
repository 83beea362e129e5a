// The build's version string, for `autoglm version` and the server header.
#pragma once

namespace autoglm::core {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace autoglm::core
