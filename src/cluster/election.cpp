#include "cluster/election.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>

#include "cluster/sleeper.hpp"

namespace autoglm::cluster {

namespace asio = boost::asio;

Standing standing_of(std::vector<KeyValue> candidates, std::string_view own_key) {
  std::sort(candidates.begin(), candidates.end(), [](const KeyValue& a, const KeyValue& b) {
    return a.create_revision < b.create_revision;
  });
  Standing s;
  if (candidates.empty()) return s;
  s.leader = candidates.front();
  if (own_key.empty()) return s;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].key != own_key) continue;
    s.present = true;
    s.leading = i == 0;
    if (i > 0) s.predecessor = candidates[i - 1];
    break;
  }
  return s;
}

Election::Election(asio::any_io_executor executor, EtcdClient& client, LeaseKeeper& keeper,
                   ElectionOptions options)
    : client_(client),
      keeper_(keeper),
      options_(std::move(options)),
      election_prefix_(options_.prefix + "/election/"),
      sleeper_(std::make_unique<Sleeper>(asio::make_strand(executor))) {}

Election::~Election() = default;

void Election::set_observer(Observer observer) { observer_ = std::move(observer); }

void Election::start() { asio::co_spawn(sleeper_->strand(), run(), asio::detached); }

void Election::stop() { sleeper_->stop(); }

bool Election::is_leader() const {
  const std::int64_t lease = leading_lease_.load();
  return lease != 0 && !resigned_.load() && keeper_.lease() == lease && keeper_.alive();
}

std::optional<std::int64_t> Election::fence() const {
  const std::int64_t fence = fence_.load();
  if (!is_leader()) return std::nullopt;
  return fence;
}

ElectionView Election::view() const {
  std::lock_guard lock(mu_);
  ElectionView v = view_;
  v.leader = is_leader();
  v.fence = v.leader ? std::optional<std::int64_t>(fence_.load()) : std::nullopt;
  v.resigned = resigned_.load();
  return v;
}

asio::awaitable<core::Status> Election::resign() {
  resigned_.store(true);
  leading_lease_.store(0);
  std::string key;
  {
    std::lock_guard lock(mu_);
    key = std::move(key_);
    key_.clear();
    key_lease_ = 0;
    view_.key.clear();
  }
  if (key.empty()) co_return core::Status::ok();
  auto removed = co_await client_.remove(key);
  if (!removed) co_return removed.status();
  spdlog::info("election: {} resigned (deleted {})", options_.candidate, key);
  co_return core::Status::ok();
}

asio::awaitable<void> Election::run() {
  while (!sleeper_->stopped()) {
    co_await step();
    co_await sleeper_->sleep(options_.poll_interval);
  }
}

asio::awaitable<bool> Election::campaign(std::int64_t lease) {
  std::string key = election_prefix_ + lease_hex(lease);
  auto created = co_await client_.create_if_absent(key, options_.candidate, lease);
  if (!created) {
    spdlog::warn("election: cannot campaign as {}: {}", options_.candidate,
                 created.status().message());
    co_return false;
  }
  if (resigned_.load()) {  // resign() ran while the txn was in flight
    co_await client_.remove(key);
    co_return false;
  }
  const std::int64_t revision =
      created->created ? created->revision : created->existing->create_revision;
  std::lock_guard lock(mu_);
  key_ = std::move(key);
  key_lease_ = lease;
  key_revision_ = revision;
  co_return true;
}

asio::awaitable<void> Election::step() {
  const std::int64_t lease = keeper_.lease();
  bool have_key = false;
  {
    std::lock_guard lock(mu_);
    if (key_lease_ != 0 && key_lease_ != lease) {  // the key went with its lease
      leading_lease_.store(0);
      key_.clear();
      key_lease_ = 0;
    }
    have_key = key_lease_ != 0;
  }
  if (!have_key && !resigned_.load() && lease != 0 && keeper_.alive()) {
    co_await campaign(lease);
  }
  auto candidates = co_await client_.range_prefix(election_prefix_);
  if (!candidates) {
    // Leadership stays as it was until the lease could have lapsed: is_leader() checks.
    spdlog::debug("election: cannot read candidates: {}", candidates.status().message());
    co_return;
  }
  ElectionView next;
  {
    std::lock_guard lock(mu_);
    const Standing standing = standing_of(std::move(candidates->kvs), key_);
    if (!key_.empty() && !standing.present) {  // deleted by hand, or expired on etcd first
      leading_lease_.store(0);
      key_.clear();
      key_lease_ = 0;
    }
    if (standing.leading && !resigned_.load()) {
      fence_.store(key_revision_);
      leading_lease_.store(key_lease_);
    } else {
      leading_lease_.store(0);
    }
    if (standing.leader) {
      next.leader_id = standing.leader->value;
      next.leader_revision = standing.leader->create_revision;
    }
    if (standing.predecessor) next.waiting_on = standing.predecessor->key;
    next.key = key_;
  }
  publish(std::move(next));
}

void Election::publish(ElectionView next) {
  next.leader = is_leader();
  if (next.leader) next.fence = fence_.load();
  next.resigned = resigned_.load();
  {
    std::lock_guard lock(mu_);
    if (view_ == next) return;
    view_ = next;
  }
  if (observer_) observer_(next);
}

}  // namespace autoglm::cluster
