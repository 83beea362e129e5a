// Splitting a one-line list such as "a, b,c" (config values, environment variables,
// command-line flags). Pure functions over strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace autoglm::core {

// The items between `separator`s, with spaces and tabs around each trimmed; empty items
// are dropped ("a, ,b," -> {"a", "b"}).
std::vector<std::string> split_trimmed(std::string_view text, char separator = ',');

}  // namespace autoglm::core
