// Leader election on etcd, following etcd's own recipe (clientv3/concurrency): each
// candidate creates `{prefix}/election/{lease-hex}` under its lease if absent; the key
// with the lowest create_revision leads; the others wait until every key created before
// theirs is gone (deleted on resign, or expired with its owner's lease). The leader's
// create_revision is its fencing token: each new leader's key was created after the
// previous leader's, so tokens strictly increase across leaders.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster/etcd_client.hpp"
#include "cluster/lease_keeper.hpp"
#include "core/leadership.hpp"

namespace autoglm::cluster {

class Sleeper;

// Where one candidate stands among all candidates' keys (pure; see standing_of).
struct Standing {
  std::optional<KeyValue> leader;       // lowest create_revision; none when no candidates
  bool present = false;                 // own key is among them
  bool leading = false;                 // own key is the leader's
  std::optional<KeyValue> predecessor;  // the key created just before own, while waiting
};

// `candidates` in any order; `own_key` may be "" (not campaigning).
Standing standing_of(std::vector<KeyValue> candidates, std::string_view own_key);

// A snapshot for logs and GET /admin/v1/cluster.
struct ElectionView {
  bool leader = false;
  std::optional<std::int64_t> fence;  // own key's create_revision while leading
  std::string leader_id;              // the leader's candidate id; "" when none or unknown
  std::int64_t leader_revision = 0;
  std::string key;         // own candidacy key; "" when not campaigning
  std::string waiting_on;  // the key just before own, while waiting
  bool resigned = false;

  bool operator==(const ElectionView&) const = default;
};

struct ElectionOptions {
  std::string prefix = "/autoglm";  // keys go under {prefix}/election/
  std::string candidate;            // this replica's id, the value of its key
  // How often a waiter looks for its predecessor's deletion and a leader re-confirms its
  // key: the longest a handover waits after a resign.
  std::chrono::milliseconds poll_interval{250};
};

// Campaigns with the keeper's lease, again with each new lease. is_leader() and fence()
// are lock-free reads, safe from any thread; is_leader() turns false by itself the moment
// the lease could have run out on etcd, even before the loop notices. The client and
// keeper must outlive it.
class Election final : public core::Leadership {
 public:
  using Observer = std::function<void(const ElectionView&)>;
  Election(boost::asio::any_io_executor executor, EtcdClient& client, LeaseKeeper& keeper,
           ElectionOptions options);
  ~Election() override;

  // REQUIRES: before start(). Called on the election's strand whenever the view changes.
  void set_observer(Observer observer);
  void start();
  // Ends the loop; the candidacy key stays until its lease ends (see resign()).
  void stop();
  // Gives up leadership or candidacy at once: is_leader() is false on return's first
  // step, the key is deleted so the next candidate takes over without waiting for the
  // TTL, and no new campaign starts.
  boost::asio::awaitable<core::Status> resign();

  bool is_leader() const override;
  std::optional<std::int64_t> fence() const override;
  ElectionView view() const;

  const std::string& election_prefix() const { return election_prefix_; }

 private:
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> step();
  boost::asio::awaitable<bool> campaign(std::int64_t lease);
  void publish(ElectionView next);

  EtcdClient& client_;
  LeaseKeeper& keeper_;
  ElectionOptions options_;
  std::string election_prefix_;  // {prefix}/election/
  std::unique_ptr<Sleeper> sleeper_;
  Observer observer_;

  // The fast path of is_leader(): the lease the leading key is under (0: not leading)
  // and its create_revision.
  std::atomic<std::int64_t> leading_lease_{0};
  std::atomic<std::int64_t> fence_{0};
  std::atomic<bool> resigned_{false};

  mutable std::mutex mu_;       // guards the fields below
  std::int64_t key_lease_ = 0;  // the lease own key was created under; 0: no key
  std::string key_;
  std::int64_t key_revision_ = 0;
  ElectionView view_;
};

}  // namespace autoglm::cluster
