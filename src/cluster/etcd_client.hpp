// An etcd v3 client over the JSON gateway (HTTP/1.1, one connection per call through
// http::fetch): key ranges, puts, deletes, the create-if-absent txn of the election
// recipe, and leases. Several endpoints: a call that cannot reach one (connect error,
// timeout, broken answer, 503) moves on to the next, and later calls start from the one
// that answered last.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cluster/etcd_json.hpp"
#include "core/status.hpp"

namespace autoglm::cluster {

struct EtcdOptions {
  std::vector<std::string> endpoints;               // http://host:port client URLs
  std::chrono::milliseconds request_timeout{2000};  // per endpoint tried
};

// Thread-safe: any number of calls may run at once, from any thread.
class EtcdClient {
 public:
  explicit EtcdClient(EtcdOptions options);

  boost::asio::awaitable<core::Result<RangeResult>> range(RangeRequest request);
  // Every key under `prefix`, ordered by key.
  boost::asio::awaitable<core::Result<RangeResult>> range_prefix(std::string prefix);
  // Returns the store's revision after the write. `lease` 0: no lease.
  boost::asio::awaitable<core::Result<std::int64_t>> put(std::string key, std::string value,
                                                         std::int64_t lease);
  // Deletes `key` (or [key, range_end)); returns the store's revision after it.
  boost::asio::awaitable<core::Result<std::int64_t>> remove(std::string key,
                                                            std::string range_end = {});
  boost::asio::awaitable<core::Result<CreateResult>> create_if_absent(std::string key,
                                                                      std::string value,
                                                                      std::int64_t lease);

  boost::asio::awaitable<core::Result<LeaseGrant>> grant(std::int64_t ttl_s);
  // One keepalive; returns the TTL left, 0 when etcd no longer knows the lease.
  // `timeout` bounds the whole call, across endpoints.
  boost::asio::awaitable<core::Result<std::int64_t>> keepalive(std::int64_t lease,
                                                               std::chrono::milliseconds timeout);
  // kNotFound when the lease had already expired or been revoked.
  boost::asio::awaitable<core::Status> revoke(std::int64_t lease);

  const EtcdOptions& options() const { return options_; }
  // The endpoint the next call tries first.
  std::string preferred_endpoint() const;

 private:
  // A call's time across endpoints: enough to try a second one after the first timed
  // out, no more, since callers (a lease about to lapse) need a bound.
  std::chrono::milliseconds budget() const { return options_.request_timeout * 2; }
  // POSTs `body` to `path`, failing over across endpoints; a non-200 answer is an error
  // Status built from etcd's error body.
  boost::asio::awaitable<core::Result<std::string>> call(std::string path, std::string body,
                                                         std::chrono::milliseconds budget);

  EtcdOptions options_;
  std::atomic<std::size_t> preferred_{0};
};

}  // namespace autoglm::cluster
