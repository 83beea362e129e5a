// Test support: a small well-formedness check for the SVG the simulator writes (tags nest
// and close, no stray '<', '>' or '&' in text), enough without an XML parser.
#pragma once

#include <regex>
#include <string>
#include <vector>

namespace autoglm::sim {

inline bool well_formed(const std::string& svg, std::string& why) {
  std::vector<std::string> open;
  std::size_t i = svg.find("<svg");
  if (i == std::string::npos) return why = "no <svg>", false;
  while ((i = svg.find('<', i)) != std::string::npos) {
    const std::size_t end = svg.find('>', i);
    if (end == std::string::npos) return why = "unterminated tag", false;
    std::string tag = svg.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return why = "empty tag", false;
    if (tag.front() == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) return why = "mismatched </" + name + ">", false;
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find_first_of(" \n")));
    }
    const std::size_t next = svg.find('<', i);
    const std::string text =
        svg.substr(i, next == std::string::npos ? std::string::npos : next - i);
    if (text.find('>') != std::string::npos) return why = "'>' in text", false;
    if (std::regex_search(text, std::regex("&(?!(amp|lt|gt|quot|apos);)"))) {
      return why = "bare '&' in text: " + text, false;
    }
  }
  if (!open.empty()) return why = "unclosed <" + open.back() + ">", false;
  return true;
}

}  // namespace autoglm::sim
