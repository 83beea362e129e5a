// Text to typed scalars for configuration values: integers, booleans, numbers,
// durations ("10s", "500ms", "1m30s", plain integers are milliseconds) and byte sizes
// ("8MiB", "16KiB", "1GB", plain integers are bytes); and back again for to_yaml.
// Every parser returns a message of the form "expected ..., got '...'" on failure.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace autoglm::config {

// A decimal integer, optionally signed; surrounding spaces are ignored.
core::Result<std::int64_t> parse_integer(std::string_view text);

// A non-negative decimal integer up to 2^64-1.
core::Result<std::uint64_t> parse_unsigned(std::string_view text);

// true/false, yes/no, on/off, case-insensitive.
core::Result<bool> parse_bool(std::string_view text);

// A finite decimal number ("1", "2.5", "1e3").
core::Result<double> parse_number(std::string_view text);

// One or more <integer><unit> parts with units ms, s, m, h ("1m30s"), or a plain
// non-negative integer meaning milliseconds.
core::Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// A non-negative integer with an optional unit: B, KB/MB/GB (powers of 1000) or
// KiB/MiB/GiB (powers of 1024); units are case-insensitive.
core::Result<std::uint64_t> parse_size(std::string_view text);

// The shortest exact spelling: "2h", "5m", "10s", "250ms".
std::string format_duration(std::chrono::milliseconds duration);
// The largest binary unit that divides exactly: "8MiB", "16KiB", "1000".
std::string format_size(std::uint64_t bytes);

}  // namespace autoglm::config
