// LeaseKeeper: holds one etcd lease for this process: grants it with a TTL, keeps it
// alive every TTL/3, and when it is lost (etcd forgot it, or no keepalive got through
// before it ran out) tells its listeners at once and grants a new one. Keys written
// under the lease (replica registration, election candidacy, a node's presence) vanish
// from etcd when the process dies and the lease runs out.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster/etcd_client.hpp"

namespace autoglm::cluster {

class Sleeper;

struct LeaseOptions {
  std::chrono::seconds ttl{10};          // etcd counts lease TTLs in whole seconds
  std::chrono::milliseconds retry{500};  // after a failed grant or keepalive
  std::string owner = "lease";           // for log lines
};

enum class LeaseEvent { kGranted, kLost };

// Its loop runs on its own strand of the executor given; lease(), alive() and
// valid_until() may be read from any thread. The EtcdClient must outlive it; so must the
// executor's context until stop() and the loop's end.
class LeaseKeeper {
 public:
  using Listener = std::function<void(LeaseEvent, std::int64_t lease)>;
  LeaseKeeper(boost::asio::any_io_executor executor, EtcdClient& client, LeaseOptions options);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // REQUIRES: before start(). Called on the keeper's strand, so keep it short.
  void add_listener(Listener listener);
  void start();
  // Stops keeping the lease alive without revoking it: to etcd this is a crash, and the
  // lease (with every key under it) lapses after its TTL.
  void stop();
  // Stops and revokes the lease now, so keys under it vanish at once (a clean exit).
  boost::asio::awaitable<core::Status> revoke();

  // The lease held, 0 when none.
  std::int64_t lease() const { return lease_.load(); }
  // True while a lease is held and, by this process' clock, cannot have run out on etcd:
  // every keepalive's deadline counts from when it was sent, never from the answer.
  bool alive() const;
  std::chrono::steady_clock::time_point valid_until() const;
  // The TTL etcd granted (it may round a short one up), or the one asked for.
  std::chrono::seconds ttl() const { return std::chrono::seconds(ttl_s_.load()); }
  // Keepalives etcd answered since start (for tests and diagnostics).
  std::uint64_t keepalives() const { return keepalives_.load(); }

 private:
  boost::asio::awaitable<void> run();
  // Keeps `lease` alive until it is lost or the keeper stops.
  boost::asio::awaitable<void> keep(std::int64_t lease);
  void set_valid_until(std::chrono::steady_clock::time_point t);
  void notify(LeaseEvent event, std::int64_t lease);

  EtcdClient& client_;
  LeaseOptions options_;
  std::unique_ptr<Sleeper> sleeper_;
  std::vector<Listener> listeners_;
  std::atomic<std::int64_t> lease_{0};
  std::atomic<std::int64_t> valid_until_ns_{0};  // steady_clock
  std::atomic<std::int64_t> ttl_s_;
  std::atomic<std::uint64_t> keepalives_{0};
};

}  // namespace autoglm::cluster
