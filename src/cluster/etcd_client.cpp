#include "cluster/etcd_client.hpp"

#include <algorithm>
#include <stdexcept>

#include "http/client.hpp"

namespace autoglm::cluster {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

// Worth trying another endpoint: this one could not be reached or could not serve
// (a member without quorum answers 503 or times out).
bool try_next(const core::Status& status) {
  return status.code() == core::ErrorCode::kUnavailable ||
         status.code() == core::ErrorCode::kTimeout ||
         status.code() == core::ErrorCode::kUpstreamFailure;
}

}  // namespace

EtcdClient::EtcdClient(EtcdOptions options) : options_(std::move(options)) {
  if (options_.endpoints.empty()) {
    throw std::invalid_argument("EtcdClient needs at least one endpoint");
  }
}

std::string EtcdClient::preferred_endpoint() const {
  return options_.endpoints[preferred_.load() % options_.endpoints.size()];
}

asio::awaitable<core::Result<std::string>> EtcdClient::call(std::string path, std::string body,
                                                            milliseconds budget) {
  const std::size_t n = options_.endpoints.size();
  const std::size_t first = preferred_.load() % n;
  const auto deadline = std::chrono::steady_clock::now() + budget;
  std::string failures;
  for (std::size_t i = 0; i < n; ++i) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const std::size_t index = (first + i) % n;
    http::ClientRequest request;
    request.method = "POST";
    request.url = http::join_url(options_.endpoints[index], path);
    request.body = body;
    request.timeout = std::min(left, options_.request_timeout);
    auto response = co_await http::fetch(std::move(request));
    core::Status failure;
    if (!response) {
      failure = response.status();
    } else if (response->status == 200) {
      preferred_.store(index);
      co_return std::move(response->body);
    } else {
      failure = error_status(response->status, response->body);
      if (response->status != 503) co_return failure;
    }
    if (!try_next(failure)) co_return failure;
    failures +=
        (failures.empty() ? "" : "; ") + options_.endpoints[index] + ": " + failure.message();
  }
  co_return core::unavailable("no etcd endpoint answered " + path + " (" + failures + ")");
}

asio::awaitable<core::Result<RangeResult>> EtcdClient::range(RangeRequest request) {
  auto body = co_await call("/v3/kv/range", range_body(request), budget());
  if (!body) co_return body.status();
  co_return parse_range(*body);
}

asio::awaitable<core::Result<RangeResult>> EtcdClient::range_prefix(std::string prefix) {
  RangeRequest request;
  request.range_end = prefix_range_end(prefix);
  request.key = std::move(prefix);
  co_return co_await range(std::move(request));
}

asio::awaitable<core::Result<std::int64_t>> EtcdClient::put(std::string key, std::string value,
                                                            std::int64_t lease) {
  auto body = co_await call("/v3/kv/put", put_body(key, value, lease), budget());
  if (!body) co_return body.status();
  co_return parse_header_revision(*body);
}

asio::awaitable<core::Result<std::int64_t>> EtcdClient::remove(std::string key,
                                                               std::string range_end) {
  auto body = co_await call("/v3/kv/deleterange", delete_body(key, range_end), budget());
  if (!body) co_return body.status();
  co_return parse_header_revision(*body);
}

asio::awaitable<core::Result<CreateResult>> EtcdClient::create_if_absent(std::string key,
                                                                         std::string value,
                                                                         std::int64_t lease) {
  auto body = co_await call("/v3/kv/txn", create_if_absent_body(key, value, lease), budget());
  if (!body) co_return body.status();
  co_return parse_create_if_absent(*body);
}

asio::awaitable<core::Result<LeaseGrant>> EtcdClient::grant(std::int64_t ttl_s) {
  auto body = co_await call("/v3/lease/grant", lease_grant_body(ttl_s), budget());
  if (!body) co_return body.status();
  co_return parse_lease_grant(*body);
}

asio::awaitable<core::Result<std::int64_t>> EtcdClient::keepalive(std::int64_t lease,
                                                                  milliseconds timeout) {
  auto body = co_await call("/v3/lease/keepalive", lease_id_body(lease), timeout);
  if (!body) co_return body.status();
  co_return parse_keepalive_ttl(*body);
}

asio::awaitable<core::Status> EtcdClient::revoke(std::int64_t lease) {
  auto body = co_await call("/v3/lease/revoke", lease_id_body(lease), budget());
  if (!body) co_return body.status();
  co_return core::Status::ok();
}

}  // namespace autoglm::cluster
