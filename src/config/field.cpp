#include "config/field.hpp"

#include <cctype>

#include "config/scalars.hpp"
#include "core/suggest.hpp"

namespace autoglm::config {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

}  // namespace

void Field::error(std::string_view message) const {
  diagnostics_.error(value_.origin(), path_, message);
}

bool Field::scalar(std::string_view expected_what) const {
  if (value_.is_scalar()) return true;
  if (value_.is_map() || value_.is_sequence()) {
    error("expected " + std::string(expected_what) + ", got " + value_.describe());
  }
  return false;
}

bool Field::read_string(std::string& out) const {
  if (!scalar("a string")) return false;
  out = value_.text();
  return true;
}

bool Field::read_nonempty_string(std::string& out) const {
  if (!scalar("a string")) return false;
  if (value_.text().empty()) {
    error("must not be empty");
    return false;
  }
  out = value_.text();
  return true;
}

bool Field::read_int(int& out, int min, int max) const {
  if (!scalar("an integer")) return false;
  core::Result<std::int64_t> parsed = parse_integer(value_.text());
  if (!parsed) {
    error(parsed.status().message());
    return false;
  }
  if (*parsed < min || *parsed > max) {
    error("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
          std::to_string(*parsed));
    return false;
  }
  out = static_cast<int>(*parsed);
  return true;
}

bool Field::read_uint64(std::uint64_t& out) const {
  if (!scalar("a non-negative integer")) return false;
  core::Result<std::uint64_t> parsed = parse_unsigned(value_.text());
  if (!parsed) {
    error(parsed.status().message());
    return false;
  }
  out = *parsed;
  return true;
}

bool Field::read_bool(bool& out) const {
  if (!scalar("true or false")) return false;
  core::Result<bool> parsed = parse_bool(value_.text());
  if (!parsed) {
    error(parsed.status().message());
    return false;
  }
  out = *parsed;
  return true;
}

bool Field::read_positive_number(double& out, double max) const {
  if (!scalar("a number")) return false;
  core::Result<double> parsed = parse_number(value_.text());
  if (!parsed) {
    error(parsed.status().message());
    return false;
  }
  if (!(*parsed > 0 && *parsed <= max)) {
    error("must be greater than 0 and at most " + std::to_string(static_cast<long long>(max)) +
          ", got " + value_.text());
    return false;
  }
  out = *parsed;
  return true;
}

bool Field::read_size(std::size_t& out, std::uint64_t min, std::uint64_t max) const {
  if (!scalar("a size")) return false;
  core::Result<std::uint64_t> parsed = parse_size(value_.text());
  if (!parsed) {
    error(parsed.status().message());
    return false;
  }
  if (*parsed < min || *parsed > max) {
    error("must be between " + format_size(min) + " and " + format_size(max) + ", got " +
          value_.text());
    return false;
  }
  out = static_cast<std::size_t>(*parsed);
  return true;
}

bool Field::read_duration(std::chrono::milliseconds& out, std::chrono::milliseconds min,
                          std::chrono::milliseconds max) const {
  if (!scalar("a duration")) return false;
  core::Result<std::chrono::milliseconds> parsed = parse_duration(value_.text());
  if (!parsed) {
    error(parsed.status().message());
    return false;
  }
  if (*parsed < min || *parsed > max) {
    error("must be between " + format_duration(min) + " and " + format_duration(max) + ", got " +
          value_.text());
    return false;
  }
  out = *parsed;
  return true;
}

bool Field::read_choice(std::string& out, std::span<const std::string_view> choices) const {
  std::string list;
  for (std::string_view choice : choices) {
    list += list.empty() ? "" : ", ";
    list += choice;
  }
  if (!scalar("one of " + list)) return false;
  const std::string word = lower(value_.text());
  for (std::string_view choice : choices) {
    if (word == choice) {
      out = std::string(choice);
      return true;
    }
  }
  std::vector<std::string> candidates(choices.begin(), choices.end());
  error("expected one of " + list + ", got '" + value_.text() + "'" +
        core::did_you_mean(word, candidates));
  return false;
}

void Field::for_each_item(const std::function<void(const Field&)>& each) const {
  if (value_.is_null() || value_.is_invalid()) return;
  if (!value_.is_sequence()) {
    error("expected a list, got " + value_.describe());
    return;
  }
  for (std::size_t i = 0; i < value_.items().size(); ++i) {
    each(Field(value_.items()[i], path_ + "[" + std::to_string(i) + "]", diagnostics_));
  }
}

void Field::for_each_entry(const std::vector<std::string>& known,
                           const std::function<void(std::string_view, const Field&)>& each) const {
  if (value_.is_null() || value_.is_invalid()) return;
  if (!value_.is_map()) {
    error("expected a map, got " + value_.describe());
    return;
  }
  for (const RawValue::Entry& entry : value_.entries()) {
    const std::string path = child_path(path_, entry.key);
    bool is_known = false;
    for (const std::string& name : known) is_known = is_known || name == entry.key;
    if (is_known) {
      each(entry.key, Field(entry.value, path, diagnostics_));
    } else {
      diagnostics_.error(entry.key_origin, path, "unknown key" + core::did_you_mean(entry.key, known));
    }
  }
}

void Field::for_each_any_entry(
    const std::function<void(std::string_view, const Field&)>& each) const {
  if (value_.is_null() || value_.is_invalid()) return;
  if (!value_.is_map()) {
    error("expected a map, got " + value_.describe());
    return;
  }
  for (const RawValue::Entry& entry : value_.entries()) {
    each(entry.key, Field(entry.value, child_path(path_, entry.key), diagnostics_));
  }
}

}  // namespace autoglm::config
