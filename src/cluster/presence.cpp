#include "cluster/presence.hpp"

namespace autoglm::cluster {

namespace asio = boost::asio;

namespace {

LeaseOptions lease_options(const PresenceOptions& o) {
  LeaseOptions lease;
  lease.ttl = o.lease_ttl;
  // Retries well inside the TTL, so a lost keepalive is tried again before the lease ends.
  lease.retry = std::min(o.poll_interval * 2, std::chrono::milliseconds(o.lease_ttl) / 6);
  lease.owner = o.key;
  return lease;
}

}  // namespace

Presence::Presence(asio::any_io_executor executor, PresenceOptions options)
    : client_(options.etcd),
      keeper_(executor, client_, lease_options(options)),
      key_(executor, client_, keeper_, options.key, options.poll_interval) {}

void Presence::start() {
  keeper_.start();
  key_.start();
}

asio::awaitable<core::Status> Presence::leave() {
  key_.stop();
  co_return co_await keeper_.revoke();
}

void Presence::stop() {
  key_.stop();
  keeper_.stop();
}

}  // namespace autoglm::cluster
