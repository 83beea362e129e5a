// Replica: one gateway replica's place in an etcd-coordinated deployment. Holds the
// replica's lease, keeps {prefix}/replicas/{id} under it, and campaigns for leadership.
// Built by `autoglm serve` when cluster.etcd.endpoints is set; its leadership() is what
// the workflow engine consults before leader-only work (cron firing, DAG advancement),
// and its fence() the token those writes carry.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cluster/election.hpp"
#include "cluster/etcd_client.hpp"
#include "cluster/lease_keeper.hpp"
#include "cluster/membership.hpp"
#include "cluster/presence.hpp"
#include "core/leadership.hpp"

namespace autoglm::cluster {

struct ReplicaOptions {
  EtcdOptions etcd;
  std::string prefix = "/autoglm";
  ReplicaInfo self;  // id, url, started_at, version
  std::chrono::seconds lease_ttl{10};
  std::chrono::milliseconds poll_interval{250};
};

// What GET /admin/v1/cluster shows.
struct ClusterReport {
  ReplicaInfo self;
  std::vector<ReplicaInfo> replicas;  // registered in etcd now, ordered by id
  std::string replicas_error;         // why the list is missing, when etcd did not answer
  ElectionView election;
  std::int64_t lease = 0;  // 0: none held right now
  bool lease_alive = false;
  std::chrono::seconds lease_ttl{0};
  std::string etcd_endpoint;  // the member tried first
};

// Thread-safe; its loops run on strands of the executor given, which must keep running
// until stop() (or leave()) and outlive the object's loops.
class Replica {
 public:
  Replica(boost::asio::any_io_executor executor, ReplicaOptions options);
  ~Replica();

  // Grants the lease, registers, campaigns: all in the background, retried until etcd
  // answers, so a replica starts (and serves) while etcd is briefly unreachable.
  void start();
  // SIGTERM: stop leading at once and hand over without waiting for the TTL.
  boost::asio::awaitable<core::Status> resign();
  // Clean exit: resign, stop every loop, revoke the lease so the replica key goes now.
  boost::asio::awaitable<core::Status> leave();
  // Stops every loop without revoking: to the others this replica crashed.
  void stop();

  core::Leadership& leadership() { return election_; }
  Election& election() { return election_; }  // set_observer() before start()
  const LeaseKeeper& lease() const { return presence_.keeper(); }
  EtcdClient& client() { return presence_.client(); }
  const ReplicaOptions& options() const { return options_; }

  boost::asio::awaitable<ClusterReport> report();

 private:
  ReplicaOptions options_;
  Presence presence_;  // the lease, and {prefix}/replicas/{id} under it
  Election election_;  // campaigns under the same lease
};

}  // namespace autoglm::cluster
