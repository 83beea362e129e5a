#include "sim/mooncake_trace.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <fmt/format.h>

#include "sim/csv_file.hpp"

namespace autoglm::sim {
namespace {

// A JSON number that is a whole non-negative integer (written as 12 or 12.0).
bool whole_number(const boost::json::value& v, std::int64_t& out) {
  if (v.is_int64()) {
    out = v.get_int64();
    return out >= 0;
  }
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return false;
    out = static_cast<std::int64_t>(v.get_uint64());
    return true;
  }
  if (v.is_double() && v.get_double() >= 0 && std::floor(v.get_double()) == v.get_double() &&
      v.get_double() < 9e18) {
    out = static_cast<std::int64_t>(v.get_double());
    return true;
  }
  return false;
}

}  // namespace

core::Result<std::unique_ptr<TraceReader>> MooncakeTraceReader::open(const std::string& path) {
  std::unique_ptr<MooncakeTraceReader> r(new MooncakeTraceReader(path));
  r->in_.open(path);
  if (!r->in_) return core::not_found(fmt::format("{}: cannot open the trace file", path), "path");
  return std::unique_ptr<TraceReader>(std::move(r));
}

core::Status MooncakeTraceReader::error(const std::string& what) const {
  return core::invalid_argument(fmt::format("{}:{}: {}", path_, line_, what));
}

core::Result<bool> MooncakeTraceReader::next(TraceRecord& out) {
  do {
    if (!std::getline(in_, text_)) return false;
    ++line_;
  } while (trim(text_).empty());

  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(text_, ec);
  if (ec) return error("invalid JSON: " + ec.message());
  const boost::json::object* obj = doc.if_object();
  if (!obj) return error("expected a JSON object per line");

  const auto integer = [&](const char* key, std::int64_t& value) -> core::Status {
    const boost::json::value* v = obj->if_contains(key);
    if (!v) return error(fmt::format("missing field '{}'", key));
    if (!whole_number(*v, value)) {
      return error(fmt::format("{}: expected a non-negative integer, got {}", key,
                               boost::json::serialize(*v)));
    }
    return core::Status::ok();
  };

  out = TraceRecord{};
  out.line = line_;
  const boost::json::value* ts = obj->if_contains("timestamp");
  if (!ts) return error("missing field 'timestamp'");
  if (!ts->is_number() || ts->to_number<double>() < 0) {
    return error(fmt::format("timestamp: expected milliseconds (a non-negative number), got {}",
                             boost::json::serialize(*ts)));
  }
  const double ms = ts->to_number<double>();
  if (auto s = integer("input_length", out.input_tokens); !s) return s;
  if (auto s = integer("output_length", out.output_tokens); !s) return s;
  if (const boost::json::value* ids = obj->if_contains("hash_ids")) {
    const boost::json::array* arr = ids->if_array();
    if (!arr) return error("hash_ids: expected a list of block ids");
    out.block_ids.reserve(arr->size());
    for (const auto& id : *arr) {
      std::int64_t value = 0;
      if (!whole_number(id, value)) {
        return error(fmt::format("hash_ids: expected non-negative integers, got {}",
                                 boost::json::serialize(id)));
      }
      out.block_ids.push_back(static_cast<std::uint64_t>(value));
    }
  }
  if (!have_origin_) {
    have_origin_ = true;
    origin_ms_ = ms;
  }
  out.arrival_s = (ms - origin_ms_) / 1000.0;
  return true;
}

}  // namespace autoglm::sim
