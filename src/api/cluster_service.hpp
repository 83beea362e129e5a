// The gateway's place among several replicas (cluster.etcd): its etcd lease, its
// registration under {prefix}/replicas/, its candidacy for leader, node membership
// followed from {prefix}/nodes/ into the NodeMonitor, and GET /admin/v1/cluster. Without
// cluster.etcd.endpoints the replica runs alone and always leads (core::SoleLeader).
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "config/config.hpp"
#include "core/leadership.hpp"
#include "core/status.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace autoglm::cluster {
class PrefixFollower;
class Replica;
struct MemberChanges;
}  // namespace autoglm::cluster

namespace autoglm::api {

class Gateway;
class NodeMonitor;

// Life cycle (serve.cpp), like WorkflowService: construct → leadership() handed to the
// workflow engine → attach() before the server starts → start(port) once it listens →
// resign() on SIGTERM → leave() after the drain → destruction after the io_context stops.
// Threading: leadership() may be read from any thread at any time.
class ClusterService {
 public:
  ClusterService(boost::asio::io_context& io, const config::Config& config);
  ~ClusterService();
  ClusterService(const ClusterService&) = delete;
  ClusterService& operator=(const ClusterService&) = delete;

  bool clustered() const { return config_.enabled(); }
  // Who may fire cron triggers and advance DAG runs, and the fencing token their writes
  // carry. Clustered, it reads "not leader" until start() has campaigned and won.
  // Valid for the service's whole life.
  core::Leadership& leadership();

  // Registers GET /admin/v1/cluster and, when clustered, remembers the gateway's
  // NodeMonitor for node membership. `gateway` outlives the service's loops.
  void attach(Gateway& gateway);
  // Clustered: names the replica (cluster.replica-id or <hostname>:<port>), then grants
  // the lease, registers, campaigns and follows {prefix}/nodes/, all in the background.
  void start(std::uint16_t port);
  // SIGTERM: stop leading now, so another replica takes over without waiting for the TTL.
  boost::asio::awaitable<void> resign();
  // After the drain: stop every loop and revoke the lease (replica key gone at once).
  boost::asio::awaitable<void> leave();

  const std::string& replica_id() const { return replica_id_; }

 private:
  // Forwards to the Replica once start() built it; "not leader" before.
  class StartedLeadership final : public core::Leadership {
   public:
    bool is_leader() const override;
    std::optional<std::int64_t> fence() const override;
    std::atomic<const core::Leadership*> target{nullptr};
  };

  boost::asio::awaitable<std::string> report_json();
  void apply_nodes(const cluster::MemberChanges& changes);

  boost::asio::io_context& io_;
  const config::ClusterConfig config_;
  const config::ServerConfig server_;
  core::SoleLeader sole_;
  StartedLeadership started_;
  std::string replica_id_;
  NodeMonitor* monitor_ = nullptr;
  std::unique_ptr<cluster::Replica> replica_;
  std::unique_ptr<cluster::PrefixFollower> nodes_;
  std::mutex nodes_mu_;
  std::set<std::string> etcd_nodes_;  // nodes_mu_: node ids registered from etcd
};

}  // namespace autoglm::api
