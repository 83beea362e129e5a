#include "cluster/replica.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace autoglm::cluster {

namespace asio = boost::asio;

namespace {

PresenceOptions presence_options(const ReplicaOptions& o) {
  return PresenceOptions{o.etcd, replicas_prefix(o.prefix) + o.self.id, o.lease_ttl,
                         o.poll_interval};
}

ElectionOptions election_options(const ReplicaOptions& o) {
  return ElectionOptions{o.prefix, o.self.id, o.poll_interval};
}

}  // namespace

Replica::Replica(asio::any_io_executor executor, ReplicaOptions options)
    : options_(std::move(options)),
      presence_(executor, presence_options(options_)),
      election_(executor, presence_.client(), presence_.keeper(), election_options(options_)) {
  presence_.set_value(to_json(options_.self));
}

Replica::~Replica() = default;

void Replica::start() {
  presence_.start();
  election_.start();
}

asio::awaitable<core::Status> Replica::resign() { co_return co_await election_.resign(); }

asio::awaitable<core::Status> Replica::leave() {
  core::Status resigned = co_await election_.resign();
  election_.stop();
  core::Status revoked = co_await presence_.leave();
  co_return resigned.is_ok() ? revoked : resigned;
}

void Replica::stop() {
  election_.stop();
  presence_.stop();
}

asio::awaitable<ClusterReport> Replica::report() {
  ClusterReport report;
  report.self = options_.self;
  report.election = election_.view();
  const LeaseKeeper& keeper = presence_.keeper();
  report.lease = keeper.lease();
  report.lease_alive = keeper.alive();
  report.lease_ttl = keeper.ttl();
  report.etcd_endpoint = presence_.client().preferred_endpoint();
  auto listed = co_await presence_.client().range_prefix(replicas_prefix(options_.prefix));
  if (!listed) {
    report.replicas_error = listed.status().message();
    co_return report;
  }
  for (const KeyValue& kv : listed->kvs) {
    auto info = replica_from_json(kv.value);
    if (info) report.replicas.push_back(std::move(info).value());
  }
  std::sort(report.replicas.begin(), report.replicas.end(),
            [](const ReplicaInfo& a, const ReplicaInfo& b) { return a.id < b.id; });
  co_return report;
}

}  // namespace autoglm::cluster
