// CsvFile: a comma-separated file read line by line, with its header's columns found by
// name, for the CSV trace readers. Plain fields and double-quoted ones ("a,b", "say ""hi""")
// are understood; a field never spans lines. Not thread-safe.
#pragma once

#include <charconv>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace autoglm::sim {

class CsvFile {
 public:
  // Opens `path` and reads its header. kNotFound if it cannot be opened, kInvalidArgument
  // if it is empty.
  static core::Result<CsvFile> open(const std::string& path);

  // The position of the header column `name`; a kInvalidArgument error naming the file,
  // the missing column and the columns present otherwise.
  core::Result<std::size_t> column(std::string_view name) const;

  // Reads the next non-blank line into fields(): true, or false at the end of the file.
  bool next();
  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return line_; }
  const std::string& path() const { return path_; }

  // Field `index` of the current row, or a "<file>:<line>: ..." error when the row is short.
  core::Result<std::string_view> field(std::size_t index, std::string_view column_name) const;
  // "<file>:<line>: <what>" as a kInvalidArgument status.
  core::Status error(const std::string& what) const;

  CsvFile(CsvFile&&) = default;
  CsvFile& operator=(CsvFile&&) = default;

 private:
  CsvFile() = default;
  void split();

  std::string path_;
  std::ifstream in_;
  std::string text_;     // the current line
  std::string unquoted_; // storage for quoted fields of the current line
  std::vector<std::string_view> fields_;
  std::vector<std::string> header_;
  std::size_t line_ = 0;
};

// Number parsing for trace fields: the whole (trimmed) text must be the number.
bool parse_int(std::string_view text, std::int64_t& out);
bool parse_double(std::string_view text, double& out);
std::string_view trim(std::string_view text);

}  // namespace autoglm::sim
