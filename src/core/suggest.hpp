// "Did you mean ...?" for misspelt keys and names (configuration, profiles, scenarios).
// Pure functions over strings; no knowledge of the schema.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autoglm::core {

// Edit distance counting insertions, deletions, substitutions and swaps of two
// neighbouring characters as one step each (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name`, if it is close enough to be a likely typo
// (at most 2 edits, or a third of the name's length for long names, and fewer edits
// than the longer word has characters), or that is the name with a suffix after '_'
// ("tick" for "tick_ms"). Ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string>& candidates);
std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string_view>& candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace autoglm::core
