#include "sim/gpu_profile.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "sim/gpu_memory.hpp"
#include "sim/yaml_fields.hpp"

namespace autoglm::sim {
namespace detail {
// Defined in the CMake-generated builtin_profiles.cpp: (file stem, YAML text) pairs.
const std::vector<std::pair<std::string_view, std::string_view>>& builtin_profile_texts();
}  // namespace detail

namespace {

const std::vector<std::string_view> kKnownKeys = {"name",
                                                  "gpu",
                                                  "model",
                                                  "num_gpus",
                                                  "linear_fixed_ms",
                                                  "linear_per_token_ms",
                                                  "linear_saturated_ms",
                                                  "prefill_attn_ms",
                                                  "decode_attn_ms",
                                                  "head_ms",
                                                  "cpu_overhead_ms",
                                                  "max_batch",
                                                  "max_batched_tokens",
                                                  "kv_capacity_tokens",
                                                  "block_size",
                                                  "prefix_caching",
                                                  "gpu_memory_gib",
                                                  "weights_gib",
                                                  "kv_bytes_per_token",
                                                  "source"};

// Reads an integer field into `out` when present, refusing values `Int` cannot hold.
template <typename Int>
void read_integer(YamlFields& f, const char* key, Int& out, bool required) {
  const std::optional<std::int64_t> value = f.integer(key, required);
  if (!value) return;
  if (*value > static_cast<std::int64_t>(std::numeric_limits<Int>::max())) {
    return f.fail(f.get(key), key, fmt::format("{} is too large", *value));
  }
  out = static_cast<Int>(*value);
}

// The memory figures come together, and a full KV cache must fit beside the weights.
core::Status check_memory(const GpuProfile& p, const std::string& origin) {
  const bool any = p.gpu_memory_gib > 0 || p.weights_gib > 0 || p.kv_bytes_per_token > 0;
  if (!any) return core::Status::ok();
  for (const auto& [key, given] : {std::pair{"gpu_memory_gib", p.gpu_memory_gib > 0},
                                   std::pair{"weights_gib", p.weights_gib > 0},
                                   std::pair{"kv_bytes_per_token", p.kv_bytes_per_token > 0}}) {
    if (!given) {
      return core::invalid_argument(
          fmt::format("{}: {}: required with the other GPU memory fields (gpu_memory_gib, "
                      "weights_gib, kv_bytes_per_token)",
                      origin, key),
          key);
    }
  }
  const GpuMemory full = *gpu_memory(p, p.kv_capacity_tokens);
  if (full.used_bytes > full.total_bytes) {
    return core::invalid_argument(
        fmt::format("{}: kv_capacity_tokens: {} tokens of KV and {} GiB of weights need {:.1f} "
                    "GiB, more than the {} x {} GiB of GPU memory",
                    origin, p.kv_capacity_tokens, p.weights_gib, full.used_bytes / 1073741824.0,
                    p.num_gpus, p.gpu_memory_gib),
        "kv_capacity_tokens");
  }
  return core::Status::ok();
}

core::Result<GpuProfile> read_fields(const YAML::Node& root, const std::string& origin) {
  using Sign = YamlFields::Sign;
  GpuProfile p;
  YamlFields f(root, origin);
  const auto text = [&](const char* key, std::string& out) {
    if (auto v = f.string(key, /*required=*/true)) out = *v;
  };
  const auto number = [&](const char* key, double& out, Sign sign = Sign::kPositive) {
    if (auto v = f.number(key, /*required=*/true, sign)) out = *v;
  };
  text("name", p.name);
  text("gpu", p.gpu);
  text("model", p.model);
  read_integer(f, "num_gpus", p.num_gpus, false);
  number("linear_fixed_ms", p.linear_fixed_ms);
  number("linear_per_token_ms", p.linear_per_token_ms);
  number("linear_saturated_ms", p.linear_saturated_ms);
  number("prefill_attn_ms", p.prefill_attn_ms);
  number("decode_attn_ms", p.decode_attn_ms);
  number("head_ms", p.head_ms, Sign::kNonNegative);
  number("cpu_overhead_ms", p.cpu_overhead_ms, Sign::kNonNegative);
  read_integer(f, "max_batch", p.max_batch, false);
  read_integer(f, "max_batched_tokens", p.max_batched_tokens, false);
  read_integer(f, "kv_capacity_tokens", p.kv_capacity_tokens, true);
  read_integer(f, "block_size", p.block_size, false);
  if (auto v = f.boolean("prefix_caching")) p.prefix_caching = *v;
  if (auto v = f.number("gpu_memory_gib")) p.gpu_memory_gib = *v;
  if (auto v = f.number("weights_gib")) p.weights_gib = *v;
  read_integer(f, "kv_bytes_per_token", p.kv_bytes_per_token, false);
  text("source", p.source);
  f.reject_unknown(kKnownKeys);
  if (!f.ok()) return f.status();
  if (p.kv_capacity_tokens < p.block_size) {
    return core::invalid_argument(
        fmt::format("{}: kv_capacity_tokens: {} is smaller than one block of {} tokens", origin,
                    p.kv_capacity_tokens, p.block_size),
        "kv_capacity_tokens");
  }
  if (auto s = check_memory(p, origin); !s) return s;
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
