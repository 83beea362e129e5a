#include "cluster/lease_keeper.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>

#include "cluster/sleeper.hpp"

namespace autoglm::cluster {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// A keepalive every third of the TTL (in milliseconds: whole seconds / 3 would round a
// 2 s TTL down to 0 and spin).
milliseconds every_third(std::int64_t ttl_s) { return milliseconds(ttl_s * 1000 / 3); }

}  // namespace

LeaseKeeper::LeaseKeeper(asio::any_io_executor executor, EtcdClient& client, LeaseOptions options)
    : client_(client),
      options_(std::move(options)),
      sleeper_(std::make_unique<Sleeper>(asio::make_strand(executor))),
      ttl_s_(options_.ttl.count()) {}

LeaseKeeper::~LeaseKeeper() = default;

void LeaseKeeper::add_listener(Listener listener) { listeners_.push_back(std::move(listener)); }

void LeaseKeeper::start() { asio::co_spawn(sleeper_->strand(), run(), asio::detached); }

void LeaseKeeper::stop() { sleeper_->stop(); }

asio::awaitable<core::Status> LeaseKeeper::revoke() {
  stop();
  const std::int64_t lease = lease_.exchange(0);
  set_valid_until(Clock::time_point{});
  if (lease == 0) co_return core::Status::ok();
  core::Status status = co_await client_.revoke(lease);
  if (status.code() == core::ErrorCode::kNotFound) co_return core::Status::ok();  // gone already
  co_return status;
}

bool LeaseKeeper::alive() const { return lease_.load() != 0 && Clock::now() < valid_until(); }

Clock::time_point LeaseKeeper::valid_until() const {
  return Clock::time_point(Clock::duration(valid_until_ns_.load()));
}

void LeaseKeeper::set_valid_until(Clock::time_point t) {
  valid_until_ns_.store(t.time_since_epoch().count());
}

void LeaseKeeper::notify(LeaseEvent event, std::int64_t lease) {
  for (const auto& listener : listeners_) listener(event, lease);
}

asio::awaitable<void> LeaseKeeper::run() {
  bool warned = false;
  while (!sleeper_->stopped()) {
    const Clock::time_point asked = Clock::now();
    auto grant = co_await client_.grant(options_.ttl.count());
    if (sleeper_->stopped()) {
      if (grant) co_await client_.revoke(grant->id);  // stopped while asking: give it back
      co_return;
    }
    if (!grant) {
      if (!warned)
        spdlog::warn("{}: cannot get an etcd lease: {}", options_.owner, grant.status().message());
      warned = true;
      co_await sleeper_->sleep(options_.retry);
      continue;
    }
    warned = false;
    ttl_s_.store(grant->ttl_s);
    set_valid_until(asked + std::chrono::seconds(grant->ttl_s));
    lease_.store(grant->id);
    spdlog::info("{}: etcd lease {} granted, TTL {} s", options_.owner, lease_hex(grant->id),
                 grant->ttl_s);
    notify(LeaseEvent::kGranted, grant->id);
    co_await keep(grant->id);
    if (sleeper_->stopped()) co_return;
    lease_.store(0);
    spdlog::warn("{}: etcd lease {} lost; asking for a new one", options_.owner,
                 lease_hex(grant->id));
    notify(LeaseEvent::kLost, grant->id);
  }
}

asio::awaitable<void> LeaseKeeper::keep(std::int64_t lease) {
  Clock::time_point next = Clock::now() + every_third(ttl_s_.load());
  while (!sleeper_->stopped()) {
    co_await sleeper_->until(std::min(next, valid_until()));
    if (sleeper_->stopped()) co_return;
    const Clock::time_point sent = Clock::now();
    if (sent >= valid_until()) co_return;  // no keepalive got through in time
    const auto left = std::chrono::duration_cast<milliseconds>(valid_until() - sent);
    auto ttl = co_await client_.keepalive(lease, std::max(left, milliseconds(1)));
    if (ttl && *ttl > 0) {
      set_valid_until(sent + std::chrono::seconds(*ttl));
      keepalives_.fetch_add(1);
      next = sent + every_third(*ttl);
      continue;
    }
    if (ttl || ttl.status().code() == core::ErrorCode::kNotFound) {
      spdlog::warn("{}: etcd no longer knows lease {} (expired or revoked)", options_.owner,
                   lease_hex(lease));
      co_return;
    }
    spdlog::warn("{}: keepalive of lease {} failed: {}", options_.owner, lease_hex(lease),
                 ttl.status().message());
    next = Clock::now() + options_.retry;
  }
}

}  // namespace autoglm::cluster
