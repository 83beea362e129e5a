#include "policy/filters/serves_model.hpp"

#include <cstring>
#include <string_view>

#include "policy/filters/keep_if.hpp"

namespace autoglm::policy {
namespace {

// Model names are long ("meta-llama/Llama-3.1-8B-Instruct") and compared once per node per
// decision. memcmp with a constant length compiles to inline 8/16-byte compares, several
// times cheaper than a libc call for a variable length.
[[gnu::always_inline]] inline bool same_name(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 16) {
    // First and last 16 bytes (overlapping when n < 32), then any middle ones.
    if (std::memcmp(x, y, 16) != 0 || std::memcmp(x + n - 16, y + n - 16, 16) != 0) return false;
    for (std::size_t i = 16; n > 32 && i + 16 < n; i += 16) {
      if (std::memcmp(x + i, y + i, 16) != 0) return false;
    }
    return true;
  }
  if (n >= 8) return std::memcmp(x, y, 8) == 0 && std::memcmp(x + n - 8, y + n - 8, 8) == 0;
  return a == b;
}

[[gnu::always_inline]] inline bool passes(std::string_view model, const NodeView& node) {
  if (model.empty()) return true;
  for (const auto& m : node.models) {
    if (same_name(m, model)) return true;
  }
  return false;
}

}  // namespace

void ServesModelFilter::apply(const TaskSpec& task, std::span<const NodeView> nodes,
                              std::vector<NodeIndex>& candidates, const Context& ctx) const {
  if (ctx.eligible_serve_model) return;  // the caller's model index already checked
  const std::string_view model = task.model;
  keep_if(candidates, nodes, [model](const NodeView& node) { return passes(model, node); });
}

bool ServesModelFilter::allows(const TaskSpec& task, const NodeView& node,
                               const Context& ctx) const {
  return ctx.eligible_serve_model || passes(task.model, node);
}

}  // namespace autoglm::policy
