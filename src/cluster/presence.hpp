// Presence: one key kept in etcd for as long as this process lives, under a lease of its
// own. A node agent announces its node this way ({prefix}/nodes/{id}); when the agent
// dies its lease runs out and every gateway replica sees the node go.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "cluster/etcd_client.hpp"
#include "cluster/lease_keeper.hpp"
#include "cluster/membership.hpp"

namespace autoglm::cluster {

struct PresenceOptions {
  EtcdOptions etcd;
  std::string key;
  std::chrono::seconds lease_ttl{10};
  std::chrono::milliseconds poll_interval{250};  // how soon a new value or lease is written
};

// Thread-safe; the loops run on strands of the executor given, which must outlive them.
class Presence {
 public:
  Presence(boost::asio::any_io_executor executor, PresenceOptions options);

  // Any thread: the value to keep under the key; written at the next poll.
  void set_value(std::string value) { key_.set_value(std::move(value)); }
  void start();
  // Clean exit: the lease is revoked, so the key goes at once.
  boost::asio::awaitable<core::Status> leave();
  // A crash as etcd sees it: the key stays until the lease runs out.
  void stop();
  bool published() const { return key_.published(); }
  // For more keys or an election under the same lease.
  EtcdClient& client() { return client_; }
  LeaseKeeper& keeper() { return keeper_; }
  const LeaseKeeper& keeper() const { return keeper_; }

 private:
  EtcdClient client_;
  LeaseKeeper keeper_;
  LeasedKey key_;
};

}  // namespace autoglm::cluster
