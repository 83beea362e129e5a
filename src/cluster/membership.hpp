// Membership in etcd: a process announces itself with a key under its lease (a gateway
// replica at {prefix}/replicas/{id}, a node agent at {prefix}/nodes/{id}), and others
// list or follow those keys. A member that dies disappears when its lease runs out.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cluster/etcd_client.hpp"
#include "cluster/lease_keeper.hpp"

namespace autoglm::cluster {

class Sleeper;

// The key layout under cluster.etcd.prefix.
std::string replicas_prefix(std::string_view prefix);  // {prefix}/replicas/
std::string nodes_prefix(std::string_view prefix);     // {prefix}/nodes/

// What a gateway replica publishes about itself (JSON value of its replica key).
struct ReplicaInfo {
  std::string id;
  std::string url;         // where other replicas and operators reach it
  std::string started_at;  // RFC 3339, UTC
  std::string version;

  bool operator==(const ReplicaInfo&) const = default;
};
std::string to_json(const ReplicaInfo& info);
core::Result<ReplicaInfo> replica_from_json(std::string_view text);
// Now as RFC 3339 in UTC with seconds ("2025-01-31T12:00:00Z").
std::string utc_now_rfc3339();

// The keys under `prefix`, named by the rest of the key, with their values.
using Members = std::map<std::string, std::string>;
Members members_under(std::string_view prefix, const std::vector<KeyValue>& kvs);

struct MemberChanges {
  std::vector<std::pair<std::string, std::string>> upserted;  // new, or a changed value
  std::vector<std::string> removed;
  bool empty() const { return upserted.empty() && removed.empty(); }
};
// What turns `before` into `after` (pure).
MemberChanges diff_members(const Members& before, const Members& after);

// Keeps `key` = value in etcd under the keeper's current lease: written at once, again
// under each new lease, and whenever set_value() changes it. The loop runs on its own
// strand; set_value() may be called from any thread. Client and keeper outlive it.
class LeasedKey {
 public:
  LeasedKey(boost::asio::any_io_executor executor, EtcdClient& client, LeaseKeeper& keeper,
            std::string key, std::chrono::milliseconds poll_interval);
  ~LeasedKey();

  void set_value(std::string value);
  void start();
  void stop();
  // True once the current value is in etcd under the current lease.
  bool published() const;
  const std::string& key() const { return key_; }

 private:
  boost::asio::awaitable<void> run();

  EtcdClient& client_;
  LeaseKeeper& keeper_;
  std::string key_;
  std::chrono::milliseconds poll_interval_;
  std::unique_ptr<Sleeper> sleeper_;
  mutable std::mutex mu_;
  std::string value_;              // mu_
  std::uint64_t version_ = 0;      // mu_: bumped by set_value
  std::uint64_t put_version_ = 0;  // mu_: the version last written
  std::int64_t put_lease_ = 0;     // mu_: the lease it was written under
};

// Follows the keys under a prefix by listing them every interval and reporting the
// differences (etcd keeps the list linearizable, so every follower converges on the same
// set). A failed listing changes nothing: members are never dropped because etcd was
// briefly out of reach.
class PrefixFollower {
 public:
  using Callback = std::function<void(const MemberChanges&)>;
  PrefixFollower(boost::asio::any_io_executor executor, EtcdClient& client, std::string prefix,
                 std::chrono::milliseconds interval, Callback on_change);
  ~PrefixFollower();

  void start();
  void stop();
  Members members() const;

 private:
  boost::asio::awaitable<void> run();

  EtcdClient& client_;
  std::string prefix_;
  std::chrono::milliseconds interval_;
  Callback on_change_;
  std::unique_ptr<Sleeper> sleeper_;
  mutable std::mutex mu_;
  Members members_;  // mu_
};

}  // namespace autoglm::cluster
