#include "sim/gpu_profile.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <fmt/format.h>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace autoglm::sim {
namespace detail {
// Defined in the CMake-generated builtin_profiles.cpp: (file stem, YAML text) pairs.
const std::vector<std::pair<std::string_view, std::string_view>>& builtin_profile_texts();
}  // namespace detail

namespace {

// Reads fields out of one YAML map, remembering the first error.
class FieldReader {
 public:
  FieldReader(const YAML::Node& root, const std::string& origin) : root_(root), origin_(origin) {}

  void string(const char* key, std::string& out, bool required) {
    YAML::Node node = find(key, required);
    if (!node) return;
    if (!node.IsScalar() || node.Scalar().empty()) return fail(node, key, "expected a non-empty string");
    out = node.Scalar();
  }

  // Positive number, or non-negative when `allow_zero`.
  void number(const char* key, double& out, bool allow_zero = false) {
    YAML::Node node = find(key, true);
    if (!node) return;
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
      return fail(node, key, fmt::format("expected a number, got {}", describe(node)));
    }
    check_sign(node, key, value, allow_zero);
    out = value;
  }

  template <typename Int>
  void integer(const char* key, Int& out, bool required) {
    YAML::Node node = find(key, required);
    if (!node) return;
    long long value = 0;
    if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value)) {
      return fail(node, key, fmt::format("expected an integer, got {}", describe(node)));
    }
    if (value > static_cast<long long>(std::numeric_limits<Int>::max())) {
      return fail(node, key, fmt::format("{} is too large", value));
    }
    check_sign(node, key, double(value), false);
    out = static_cast<Int>(value);
  }

  void boolean(const char* key, bool& out) {
    YAML::Node node = find(key, false);
    if (!node) return;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, out)) {
      fail(node, key, fmt::format("expected true or false, got {}", describe(node)));
    }
  }

  // Reports keys not in `known`, after all fields were read.
  void reject_unknown(const std::vector<std::string_view>& known) {
    for (const auto& kv : root_) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "(non-scalar key)";
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        return fail(kv.first, key, "unknown key" + suggestion(key, known));
      }
    }
  }

  const core::Status& status() const { return status_; }

 private:
  YAML::Node find(const char* key, bool required) {
    if (!status_.is_ok()) return YAML::Node();
    YAML::Node node = root_[key];
    if (!node && required) {
      status_ = core::invalid_argument(fmt::format("{}: missing field '{}'", origin_, key), key);
    }
    return node;
  }

  void check_sign(const YAML::Node& node, const std::string& key, double value, bool allow_zero) {
    if (value > 0 || (allow_zero && value == 0)) return;
    fail(node, key, fmt::format("must be {}, got {}", allow_zero ? "zero or positive" : "positive",
                                node.Scalar()));
  }

  void fail(const YAML::Node& node, const std::string& key, const std::string& what) {
    if (!status_.is_ok()) return;
    status_ = core::invalid_argument(
        fmt::format("{}:{}: {}: {}", origin_, node.Mark().line + 1, key, what), key);
  }

  static std::string describe(const YAML::Node& node) {
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    if (node.IsNull()) return "nothing";
    return "'" + node.Scalar() + "'";
  }

  static std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  }

  static std::string suggestion(const std::string& key, const std::vector<std::string_view>& known) {
    std::string normalized = key;
    std::replace(normalized.begin(), normalized.end(), '-', '_');
    std::string_view best;
    std::size_t best_distance = 4;
    for (std::string_view candidate : known) {
      const std::size_t d = edit_distance(normalized, candidate);
      if (d < best_distance) best = candidate, best_distance = d;
    }
    return best.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", best);
  }

  const YAML::Node& root_;
  const std::string& origin_;
  core::Status status_;
};

const std::vector<std::string_view> kKnownKeys = {
    "name",           "gpu",         "model",          "num_gpus",
    "linear_fixed_ms", "linear_per_token_ms", "linear_saturated_ms", "prefill_attn_ms",
    "decode_attn_ms", "head_ms",     "cpu_overhead_ms", "max_batch",
    "max_batched_tokens", "kv_capacity_tokens", "block_size", "prefix_caching",
    "source"};

core::Result<GpuProfile> read_fields(const YAML::Node& root, const std::string& origin) {
  GpuProfile p;
  FieldReader r(root, origin);
  r.string("name", p.name, true);
  r.string("gpu", p.gpu, true);
  r.string("model", p.model, true);
  r.integer("num_gpus", p.num_gpus, false);
  r.number("linear_fixed_ms", p.linear_fixed_ms);
  r.number("linear_per_token_ms", p.linear_per_token_ms);
  r.number("linear_saturated_ms", p.linear_saturated_ms);
  r.number("prefill_attn_ms", p.prefill_attn_ms);
  r.number("decode_attn_ms", p.decode_attn_ms);
  r.number("head_ms", p.head_ms, /*allow_zero=*/true);
  r.number("cpu_overhead_ms", p.cpu_overhead_ms, /*allow_zero=*/true);
  r.integer("max_batch", p.max_batch, false);
  r.integer("max_batched_tokens", p.max_batched_tokens, false);
  r.integer("kv_capacity_tokens", p.kv_capacity_tokens, true);
  r.integer("block_size", p.block_size, false);
  r.boolean("prefix_caching", p.prefix_caching);
  r.string("source", p.source, true);
  r.reject_unknown(kKnownKeys);
  if (!r.status().is_ok()) return r.status();
  if (p.kv_capacity_tokens < p.block_size) {
    return core::invalid_argument(
        fmt::format("{}: kv_capacity_tokens: {} is smaller than one block of {} tokens", origin,
                    p.kv_capacity_tokens, p.block_size),
        "kv_capacity_tokens");
  }
  return p;
}

}  // namespace

core::Result<GpuProfile> parse_profile(const std::string& yaml, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return core::invalid_argument(fmt::format("{}:{}: {}", origin, e.mark.line + 1, e.msg));
  }
  if (!root.IsMap()) {
    return core::invalid_argument(fmt::format("{}: expected a map of profile fields", origin));
  }
  return read_fields(root, origin);
}

const std::vector<GpuProfile>& builtin_profiles() {
  static const std::vector<GpuProfile> profiles = [] {
    std::vector<GpuProfile> out;
    for (const auto& [stem, text] : detail::builtin_profile_texts()) {
      const std::string origin = fmt::format("profiles/{}.yaml", stem);
      auto parsed = parse_profile(std::string(text), origin);
      if (!parsed) throw std::logic_error("built-in " + parsed.status().message());
      if (parsed->name != stem) {
        throw std::logic_error(fmt::format("{}: name '{}' differs from the file name", origin,
                                           parsed->name));
      }
      out.push_back(std::move(parsed).value());
    }
    std::sort(out.begin(), out.end(),
              [](const GpuProfile& a, const GpuProfile& b) { return a.name < b.name; });
    return out;
  }();
  return profiles;
}

core::Result<GpuProfile> find_profile(const std::string& name) {
  std::string known;
  for (const GpuProfile& p : builtin_profiles()) {
    if (p.name == name) return p;
    known += known.empty() ? p.name : ", " + p.name;
  }
  return core::not_found(fmt::format("unknown GPU profile '{}'; known profiles: {}", name, known),
                         "profile");
}

}  // namespace autoglm::sim
