#include "api/cluster_service.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "api/gateway.hpp"
#include "api/node_monitor.hpp"
#include "cluster/membership.hpp"
#include "cluster/replica.hpp"
#include "core/version.hpp"
#include "monitor/heartbeat_json.hpp"

namespace autoglm::api {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string hostname() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') return "localhost";
  return host;
}

// Where other replicas and operators reach this one: cluster.advertise-url, else the
// listening address with a wildcard host replaced by the hostname.
std::string advertise_url(const config::ClusterConfig& cluster, const config::ServerConfig& server,
                          std::uint16_t port) {
  if (!cluster.advertise_url.empty()) return cluster.advertise_url;
  std::string host = server.host;
  if (host.empty() || host == "0.0.0.0" || host == "::") host = hostname();
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port) + server.context_path;
}

const char* role_of(const cluster::ClusterReport& r) {
  if (r.election.resigned) return "resigned";
  if (r.election.leader) return "leader";
  if (!r.lease_alive) return "no-lease";
  return r.election.key.empty() ? "candidate" : "follower";
}

json::object replica_object(const cluster::ReplicaInfo& info) {
  return {{"id", info.id},
          {"url", info.url},
          {"started_at", info.started_at},
          {"version", info.version}};
}

json::value optional_int(std::optional<std::int64_t> v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object report_object(const cluster::ClusterReport& r, const config::ClusterConfig& config) {
  json::object o;
  o["clustered"] = true;
  o["replica_id"] = r.self.id;
  o["url"] = r.self.url;
  o["role"] = role_of(r);
  o["fence"] = optional_int(r.election.fence);
  if (r.election.leader_id.empty()) {
    o["leader"] = nullptr;
  } else {
    o["leader"] = json::object{{"id", r.election.leader_id}, {"fence", r.election.leader_revision}};
  }
  if (!r.election.waiting_on.empty()) o["waiting_on"] = r.election.waiting_on;
  o["lease"] = json::object{{"id", r.lease != 0 ? cluster::lease_hex(r.lease) : ""},
                            {"ttl_s", r.lease_ttl.count()},
                            {"alive", r.lease_alive}};
  json::array endpoints;
  for (const auto& url : config.etcd.endpoints) endpoints.emplace_back(url);
  o["etcd"] = json::object{{"endpoints", std::move(endpoints)},
                           {"preferred", r.etcd_endpoint},
                           {"prefix", config.etcd.prefix}};
  json::array replicas;
  for (const auto& info : r.replicas) replicas.push_back(replica_object(info));
  o["replicas"] = std::move(replicas);
  if (!r.replicas_error.empty()) o["replicas_error"] = r.replicas_error;
  return o;
}

}  // namespace

bool ClusterService::StartedLeadership::is_leader() const {
  const core::Leadership* t = target.load();
  return t != nullptr && t->is_leader();
}

std::optional<std::int64_t> ClusterService::StartedLeadership::fence() const {
  const core::Leadership* t = target.load();
  return t != nullptr ? t->fence() : std::nullopt;
}

ClusterService::ClusterService(asio::io_context& io, const config::Config& config)
    : io_(io), config_(config.cluster), server_(config.server) {
  if (clustered() && config.workflow.enabled &&
      config.database.kind == config::DatabaseKind::kSqlite) {
    spdlog::warn("cluster: replicas with a SQLite store each keep their own tasks and runs; "
                 "point database.url at one PostgreSQL database shared by all replicas");
  }
}

ClusterService::~ClusterService() = default;

core::Leadership& ClusterService::leadership() {
  if (!clustered()) return sole_;
  return started_;
}

void ClusterService::attach(Gateway& gateway) {
  monitor_ = &gateway.monitor();
  gateway.add_route(
      "GET", "/admin/v1/cluster",
      [this](http::Exchange& exchange, const RequestContext&) -> asio::awaitable<void> {
        std::string body = co_await report_json();
        co_await exchange.respond(200, std::move(body));
      });
}

asio::awaitable<std::string> ClusterService::report_json() {
  if (!clustered()) {
    json::object o{{"clustered", false}, {"role", "leader"}, {"fence", nullptr}};
    co_return json::serialize(o);
  }
  if (started_.target.load() == nullptr) {
    json::object o{{"clustered", true}, {"role", "starting"}, {"fence", nullptr}};
    co_return json::serialize(o);
  }
  cluster::ClusterReport report = co_await replica_->report();
  co_return json::serialize(report_object(report, config_));
}

void ClusterService::start(std::uint16_t port) {
  if (!clustered()) return;
  replica_id_ =
      config_.replica_id.empty() ? hostname() + ":" + std::to_string(port) : config_.replica_id;
  cluster::ReplicaOptions options;
  options.etcd.endpoints = config_.etcd.endpoints;
  options.etcd.request_timeout = config_.etcd.request_timeout;
  options.prefix = config_.etcd.prefix;
  options.self = {replica_id_, advertise_url(config_, server_, port), cluster::utc_now_rfc3339(),
                  std::string(core::kVersion)};
  options.lease_ttl = std::chrono::duration_cast<std::chrono::seconds>(config_.lease_ttl);
  options.poll_interval = config_.etcd.poll_interval;
  replica_ = std::make_unique<cluster::Replica>(io_.get_executor(), std::move(options));
  replica_->election().set_observer([id = replica_id_](const cluster::ElectionView& view) {
    if (view.leader) {
      spdlog::info("cluster: {} leads (fence {})", id, view.fence.value_or(0));
    } else if (!view.leader_id.empty()) {
      spdlog::info("cluster: {} follows; leader is {}", id, view.leader_id);
    } else {
      spdlog::info("cluster: {} sees no leader yet", id);
    }
  });
  replica_->start();
  started_.target.store(&replica_->leadership());
  if (monitor_ != nullptr) {
    nodes_ = std::make_unique<cluster::PrefixFollower>(
        io_.get_executor(), replica_->client(), cluster::nodes_prefix(config_.etcd.prefix),
        config_.etcd.poll_interval,
        [this](const cluster::MemberChanges& changes) { apply_nodes(changes); });
    nodes_->start();
  }
  spdlog::info("cluster: replica {} joins through etcd {} (prefix {}, lease TTL {} s)", replica_id_,
               config_.etcd.endpoints.front(), config_.etcd.prefix, options.lease_ttl.count());
}

void ClusterService::apply_nodes(const cluster::MemberChanges& changes) {
  std::lock_guard lock(nodes_mu_);
  for (const std::string& id : changes.removed) {
    if (etcd_nodes_.erase(id) == 0) continue;
    if (auto status = monitor_->deregister(id); !status) {
      spdlog::warn("cluster: node {} left etcd but cannot be removed: {}", id, status.message());
    }
  }
  for (const auto& [id, value] : changes.upserted) {
    auto registration = monitor::registration_from_json(value);
    if (!registration || registration->node.id != id) {
      spdlog::warn(
          "cluster: ignoring etcd node entry {}: {}", id,
          registration ? "its node.id differs from the key" : registration.status().message());
      continue;
    }
    // Liveness is the agent's lease, and its heartbeats (if any) reach one replica only:
    // every replica health-checks and scrapes the node itself.
    registration->heartbeat_interval_ms = 0;
    if (etcd_nodes_.contains(id)) monitor_->deregister(id);  // changed: register afresh
    if (auto registered = monitor_->register_node(*registration); !registered) {
      spdlog::warn("cluster: cannot register node {} from etcd: {}", id,
                   registered.status().message());
      continue;
    }
    etcd_nodes_.insert(id);
  }
}

asio::awaitable<void> ClusterService::resign() {
  if (!replica_) co_return;
  core::Status status = co_await replica_->resign();
  if (!status.is_ok()) {
    spdlog::warn(
        "cluster: resign of {} failed ({}); another replica takes over when the lease "
        "expires",
        replica_id_, status.message());
  }
}

asio::awaitable<void> ClusterService::leave() {
  if (nodes_) nodes_->stop();
  if (!replica_) co_return;
  core::Status status = co_await replica_->leave();
  if (!status.is_ok()) {
    spdlog::warn("cluster: {} could not revoke its lease ({}); its keys expire with it",
                 replica_id_, status.message());
  } else {
    spdlog::info("cluster: {} left (lease revoked)", replica_id_);
  }
}

}  // namespace autoglm::api
