#include "dispatch/node_set.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace autoglm::dispatch {

namespace {

std::int64_t to_ns(SteadyTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Splits "http://host:port[/prefix]" into host, port and path prefix; an error otherwise.
core::Status parse_http_url(const std::string& url, std::string& host, std::string& port,
                            std::string& base_path) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) {
    return core::invalid_argument("node url '" + url + "' must start with http://", "url");
  }
  std::string rest = url.substr(kScheme.size());
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    base_path = rest.substr(slash);
    while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
    rest = rest.substr(0, slash);
  }
  if (rest.empty()) return core::invalid_argument("node url '" + url + "' has no host", "url");
  auto colon = rest.rfind(':');
  if (colon == std::string::npos || rest.back() == ']') {
    host = rest;
    port = "80";
  } else {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    return core::invalid_argument("node url '" + url + "' is not http://host[:port][/path]", "url");
  }
  return core::Status();
}

}  // namespace

NodeSet::NodeSet(std::vector<core::NodeSpec> nodes) {
  for (auto& spec : nodes) {
    auto added = add(std::move(spec));
    if (!added) throw std::invalid_argument(added.status().message());
  }
}

std::size_t NodeSet::size() const {
  std::shared_lock lock(mu_);
  return nodes_.size();
}

NodeState& NodeSet::at(std::size_t i) {
  std::shared_lock lock(mu_);
  return *nodes_[i];
}

const NodeState& NodeSet::at(std::size_t i) const {
  std::shared_lock lock(mu_);
  return *nodes_[i];
}

std::optional<std::size_t> NodeSet::find(std::string_view id) const {
  std::shared_lock lock(mu_);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i]->spec.id == id) return i;
  }
  return std::nullopt;
}

core::Result<std::size_t> NodeSet::add(core::NodeSpec spec) {
  auto state = std::make_unique<NodeState>(std::move(spec));
  if (auto status = parse_http_url(state->spec.url, state->host, state->port, state->base_path);
      !status) {
    return status;
  }
  std::unique_lock lock(mu_);
  nodes_.push_back(std::move(state));
  return nodes_.size() - 1;
}

void NodeSet::mark_removed(std::size_t index) { at(index).removed.store(true); }

std::vector<std::string> NodeSet::models() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& node : nodes_) {
    if (node->removed.load(std::memory_order_relaxed)) continue;
    out.insert(out.end(), node->spec.models.begin(), node->spec.models.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool NodeSet::serves(const std::string& model) const {
  std::shared_lock lock(mu_);
  return std::any_of(nodes_.begin(), nodes_.end(), [&](const auto& node) {
    if (node->removed.load(std::memory_order_relaxed)) return false;
    const auto& m = node->spec.models;
    return std::find(m.begin(), m.end(), model) != m.end();
  });
}

bool NodeSet::any_up(const std::string& model, SteadyTime now) const {
  std::shared_lock lock(mu_);
  for (const auto& node : nodes_) {
    const auto& models = node->spec.models;
    const bool up = !node->removed.load(std::memory_order_relaxed) &&
                    node->accepting.load(std::memory_order_relaxed) &&
                    node->down_until_ns.load(std::memory_order_relaxed) <= to_ns(now);
    if (up && std::find(models.begin(), models.end(), model) != models.end()) {
      return true;
    }
  }
  return false;
}

void NodeSet::mark_failed(std::size_t index, SteadyTime now, std::chrono::milliseconds backoff) {
  NodeState& node = at(index);
  node.failures.fetch_add(1, std::memory_order_relaxed);
  node.down_until_ns.store(to_ns(now + backoff), std::memory_order_relaxed);
}

void NodeSet::set_accepting(std::size_t index, bool accepting) {
  at(index).accepting.store(accepting, std::memory_order_relaxed);
}

void NodeSet::mark_ok(std::size_t index) {
  at(index).down_until_ns.store(0, std::memory_order_relaxed);
}

bool NodeSet::is_up(std::size_t index, SteadyTime now) const {
  const NodeState& node = at(index);
  return !node.removed.load(std::memory_order_relaxed) &&
         node.accepting.load(std::memory_order_relaxed) &&
         node.down_until_ns.load(std::memory_order_relaxed) <= to_ns(now);
}

}  // namespace autoglm::dispatch
