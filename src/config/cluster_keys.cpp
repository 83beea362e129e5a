#include "config/cluster_keys.hpp"

#include <algorithm>
#include <cctype>

#include "config/lists.hpp"
#include "config/scalars.hpp"
#include "core/split.hpp"

namespace autoglm::config {
namespace {

bool has_space(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// "" when `url` is a usable http://host[:port] base URL, else why not.
std::string url_problem(std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind("https://", 0) == 0) {
    return "https is not supported for etcd yet; use its http:// client URL on a private "
           "network";
  }
  if (url.rfind(kScheme, 0) != 0 || url.size() == kScheme.size() || url[kScheme.size()] == '/' ||
      has_space(url)) {
    return "expected an http:// URL such as http://10.0.0.7:2379, got '" + url + "'";
  }
  while (url.back() == '/') url.pop_back();
  return {};
}

const RawValue* find_path(const RawValue& root, std::initializer_list<std::string_view> path) {
  const RawValue* node = &root;
  for (std::string_view key : path) {
    if (node == nullptr || !node->is_map()) return nullptr;
    node = node->find(key);
  }
  return node;
}

}  // namespace

void read_etcd_endpoints(const Field& field, std::vector<std::string>& out) {
  if (field.is_null()) return;
  std::vector<std::string> urls;
  if (field.value().is_sequence()) {
    read_string_list(field, urls);
  } else {
    std::string text;
    if (!field.read_string(text)) return;
    urls = core::split_trimmed(text);
  }
  for (std::string& url : urls) {
    if (std::string problem = url_problem(url); !problem.empty()) return field.error(problem);
  }
  out = std::move(urls);
}

void read_etcd_prefix(const Field& field, std::string& out) {
  std::string prefix;
  if (!field.read_nonempty_string(prefix)) return;
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix.front() != '/' || prefix == "/" || has_space(prefix)) {
    return field.error("expected a key prefix such as /autoglm or /prod/autoglm, got '" + prefix +
                       "'");
  }
  out = prefix;
}

void read_replica_id(const Field& field, std::string& out) {
  std::string id;
  if (!field.read_string(id)) return;
  const bool ok = std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == ':';
  });
  if (!ok || id.size() > 128) {
    return field.error("may hold up to 128 letters, digits and - _ . : only, got '" + id + "'");
  }
  out = id;
}

void read_advertise_url(const Field& field, std::string& out) {
  std::string url;
  if (!field.read_string(url)) return;
  if (url.empty()) {
    out.clear();
    return;
  }
  if (std::string problem = url_problem(url); !problem.empty()) {
    return field.error(
        "expected this gateway's http:// URL as other replicas reach it, e.g. "
        "http://10.0.0.5:8080, got '" +
        url + "'");
  }
  out = url;
}

void read_lease_ttl(const Field& field, Millis& out) {
  Millis ttl{};
  if (!field.read_duration(ttl, std::chrono::seconds(2), std::chrono::hours(1))) return;
  if (ttl.count() % 1000 != 0) {
    return field.error("must be whole seconds (etcd counts lease TTLs in seconds), got " +
                       format_duration(ttl));
  }
  out = ttl;
}

void check_cluster(const RawValue& root, const ClusterConfig& cluster, Diagnostics& diagnostics) {
  auto report = [&](std::initializer_list<std::string_view> path, std::string_view key,
                    const std::string& message) {
    const RawValue* value = find_path(root, path);
    diagnostics.error(value != nullptr ? value->origin() : Origin{"defaults", 0}, key, message);
  };
  if (!cluster.enabled()) return;
  const Millis third = cluster.lease_ttl / 3;
  if (cluster.etcd.request_timeout > third) {
    report({"cluster", "etcd", "request-timeout"}, "cluster.etcd.request-timeout",
           "must be at most a third of cluster.lease-ttl (" + format_duration(third) +
               "), so a keepalive can time out and be retried before the lease runs out; got " +
               format_duration(cluster.etcd.request_timeout));
  }
  if (cluster.etcd.poll_interval > cluster.lease_ttl / 2) {
    report({"cluster", "etcd", "poll-interval"}, "cluster.etcd.poll-interval",
           "must be at most half of cluster.lease-ttl (" + format_duration(cluster.lease_ttl / 2) +
               "), or a failover could take longer than twice the TTL; got " +
               format_duration(cluster.etcd.poll_interval));
  }
}

}  // namespace autoglm::config
