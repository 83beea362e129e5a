#include "dispatch/node_set.hpp"

#include <algorithm>
#include <stdexcept>

namespace autoglm::dispatch {

namespace {

std::int64_t to_ns(SteadyTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Splits "http://host:port[/prefix]" into host, port and path prefix; throws on anything else.
void parse_http_url(const std::string& url, std::string& host, std::string& port,
                    std::string& base_path) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) {
    throw std::invalid_argument("node url '" + url + "' must start with http://");
  }
  std::string rest = url.substr(kScheme.size());
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    base_path = rest.substr(slash);
    while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
    rest = rest.substr(0, slash);
  }
  if (rest.empty()) throw std::invalid_argument("node url '" + url + "' has no host");
  auto colon = rest.rfind(':');
  if (colon == std::string::npos || rest.back() == ']') {
    host = rest;
    port = "80";
  } else {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
}

}  // namespace

NodeSet::NodeSet(std::vector<core::NodeSpec> nodes) {
  nodes_.reserve(nodes.size());
  for (auto& spec : nodes) {
    auto state = std::make_unique<NodeState>(std::move(spec));
    parse_http_url(state->spec.url, state->host, state->port, state->base_path);
    nodes_.push_back(std::move(state));
  }
}

std::vector<std::string> NodeSet::models() const {
  std::vector<std::string> out;
  for (const auto& node : nodes_) {
    out.insert(out.end(), node->spec.models.begin(), node->spec.models.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool NodeSet::serves(const std::string& model) const {
  return std::any_of(nodes_.begin(), nodes_.end(), [&](const auto& node) {
    const auto& m = node->spec.models;
    return std::find(m.begin(), m.end(), model) != m.end();
  });
}

bool NodeSet::any_up(const std::string& model, SteadyTime now) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto& models = nodes_[i]->spec.models;
    if (is_up(i, now) && std::find(models.begin(), models.end(), model) != models.end()) {
      return true;
    }
  }
  return false;
}

void NodeSet::mark_failed(std::size_t index, SteadyTime now, std::chrono::milliseconds backoff) {
  nodes_[index]->failures.fetch_add(1, std::memory_order_relaxed);
  nodes_[index]->down_until_ns.store(to_ns(now + backoff), std::memory_order_relaxed);
}

void NodeSet::mark_ok(std::size_t index) {
  nodes_[index]->down_until_ns.store(0, std::memory_order_relaxed);
}

bool NodeSet::is_up(std::size_t index, SteadyTime now) const {
  return nodes_[index]->down_until_ns.load(std::memory_order_relaxed) <= to_ns(now);
}

}  // namespace autoglm::dispatch
