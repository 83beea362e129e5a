// Field: one configuration value and its key path, with typed readers that report
// "FILE:LINE: key.path: message" to Diagnostics instead of failing.
// Every reader leaves its output untouched when the value is null (the key keeps its
// default), was already reported invalid, or is wrong; it returns true only on success.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.hpp"
#include "config/raw_value.hpp"

namespace autoglm::config {

class Field {
 public:
  // Borrows `value` and `diagnostics`; both must outlive the Field.
  Field(const RawValue& value, std::string path, Diagnostics& diagnostics)
      : value_(value), path_(std::move(path)), diagnostics_(diagnostics) {}

  const RawValue& value() const { return value_; }
  const std::string& path() const { return path_; }
  bool is_null() const { return value_.is_null(); }
  void error(std::string_view message) const;

  bool read_string(std::string& out) const;  // any scalar, as written
  bool read_nonempty_string(std::string& out) const;
  bool read_int(int& out, int min, int max) const;
  bool read_uint64(std::uint64_t& out) const;
  bool read_bool(bool& out) const;
  // A number with min < value <= max.
  bool read_positive_number(double& out, double max) const;
  bool read_size(std::size_t& out, std::uint64_t min, std::uint64_t max) const;
  bool read_duration(std::chrono::milliseconds& out, std::chrono::milliseconds min,
                     std::chrono::milliseconds max) const;
  // One of `choices`, matched case-insensitively; stores the choice as listed.
  bool read_choice(std::string& out, std::span<const std::string_view> choices) const;

  // For a sequence: calls `each` with every item ("path[i]"). Reports other kinds.
  void for_each_item(const std::function<void(const Field&)>& each) const;
  // For a map: calls `each` for entries whose key is in `known`; reports unknown keys
  // with a did-you-mean over `known`, and other kinds as "expected a map".
  void for_each_entry(const std::vector<std::string>& known,
                      const std::function<void(std::string_view, const Field&)>& each) const;
  // For a map of free-form keys (labels): calls `each` for every entry.
  void for_each_any_entry(const std::function<void(std::string_view, const Field&)>& each) const;

 private:
  // False (and an error unless null/invalid) when the value is not a scalar.
  bool scalar(std::string_view expected_what) const;

  const RawValue& value_;
  std::string path_;
  Diagnostics& diagnostics_;
};

}  // namespace autoglm::config
