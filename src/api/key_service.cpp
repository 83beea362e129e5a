#include "api/key_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/workflow_http.hpp"

namespace autoglm::api {

namespace asio = boost::asio;
using workflow_http::on_workers;

store::ApiKeyRecord record_of(const tenancy::KeyInfo& info, const tenancy::KeyHash& hash,
                              core::Time created_at) {
  store::ApiKeyRecord r;
  r.id = info.id;
  r.tenant = info.tenant;
  r.key_hash = tenancy::to_hex(hash);
  r.admin = info.admin;
  r.label = info.label;
  const tenancy::KeyScope& scope = info.scope;
  if (scope.default_class) r.default_class = core::priority_class_name(*scope.default_class);
  r.models = scope.models;
  r.requests_per_second = scope.limits.requests_per_second;
  r.burst = scope.limits.burst;
  r.max_concurrent = static_cast<std::int64_t>(scope.limits.max_concurrent);
  r.created_at = created_at;
  return r;
}

std::optional<tenancy::StoredKey> stored_key_of(const store::ApiKeyRecord& r) {
  const auto hash = tenancy::hash_from_hex(r.key_hash);
  if (!hash) return std::nullopt;
  tenancy::KeyScope scope;
  if (!r.default_class.empty()) {
    scope.default_class = core::priority_class_from_name(r.default_class);
    if (!scope.default_class) return std::nullopt;
  }
  scope.models = r.models;
  scope.limits = {r.requests_per_second, r.burst,
                  static_cast<std::size_t>(std::max<std::int64_t>(0, r.max_concurrent))};
  return tenancy::StoredKey{
      tenancy::KeyInfo{r.id, r.tenant, r.admin, r.label, r.revoked_at.has_value(), scope}, *hash};
}

KeyService::KeyService(Guard& guard, const config::AuthConfig& auth, const core::Clock& steady)
    : guard_(guard), steady_(steady) {
  set_intervals(auth);
}

void KeyService::set_intervals(const config::AuthConfig& auth) {
  refresh_ns_ = core::Duration(auth.key_refresh).count();
  miss_refresh_ns_ = core::Duration(auth.key_miss_refresh).count();
}

void KeyService::use_store(store::Store& store, asio::thread_pool& workers, asio::io_context& io,
                           const core::Clock& wall) {
  store_ = &store;
  workers_ = &workers;
  wall_ = &wall;
  if (auto read = refresh(); !read) {
    spdlog::error("API keys created at run time cannot be read yet ({}); retrying every {} ms",
                  read.message(), core::to_ms(interval(refresh_ns_)));
  }
  asio::co_spawn(io, refresh_loop(), asio::detached);
}

core::Status KeyService::refresh() {
  last_read_ns_ = steady_.now().count();
  auto rows = store_->list_api_keys();
  if (!rows) return rows.status();
  std::vector<tenancy::StoredKey> keys;
  keys.reserve(rows->size());
  std::size_t unreadable = 0;
  for (const auto& row : *rows) {
    if (auto key = stored_key_of(row)) {
      keys.push_back(std::move(*key));
    } else {
      ++unreadable;
    }
  }
  const tenancy::SyncReport report = guard_.sync_keys(keys);
  if (report.added > 0 || report.revoked > 0) {
    spdlog::info("API keys from the store: {} new, {} newly revoked ({} stored)", report.added,
                 report.revoked, rows->size());
  }
  const std::size_t skipped = report.clashes + unreadable;
  if (clashes_.exchange(skipped) != skipped && skipped > 0) {
    spdlog::warn(
        "{} stored API key(s) skipped: their secret is already another key's, or the row is "
        "unreadable (bad hash or priority class)",
        skipped);
  }
  return core::Status::ok();
}

asio::awaitable<void> KeyService::refresh_loop() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(interval(refresh_ns_));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    auto read = co_await on_workers(*workers_, [this] { return refresh(); });
    if (!read) spdlog::warn("API keys: cannot re-read the store: {}", read.message());
  }
}

asio::awaitable<bool> KeyService::refresh_on_miss(std::string_view authorization) {
  const std::int64_t miss = miss_refresh_ns_.load();
  if (store_ == nullptr || miss <= 0 || !tenancy::bearer_token(authorization)) co_return false;
  // The negative cache: one read per interval whoever asks; the winner of the exchange reads.
  std::int64_t last = last_read_ns_.load();
  const std::int64_t now = steady_.now().count();
  if (now - last < miss || !last_read_ns_.compare_exchange_strong(last, now)) co_return false;
  auto read = co_await on_workers(*workers_, [this] { return refresh(); });
  co_return read.is_ok();
}

asio::awaitable<core::Result<tenancy::CreatedKey>> KeyService::create(tenancy::KeySpec spec) {
  auto minted = guard_.mint_key(spec);
  if (!minted) co_return minted.status();
  if (store_ == nullptr) {
    if (auto added = guard_.add_minted_key(*minted); !added) co_return added;
    co_return minted;
  }
  const store::ApiKeyRecord record =
      record_of(minted->info, tenancy::sha256(minted->secret), wall_->now());
  auto saved =
      co_await on_workers(*workers_, [this, &record] { return store_->create_api_key(record); });
  if (!saved) co_return saved;
  // sync, not add: a periodic re-read may have brought the key in already.
  guard_.sync_keys({*stored_key_of(record)});
  co_return minted;
}

asio::awaitable<core::Status> KeyService::revoke(std::string id) {
  const auto known = guard_.find_key(id);
  if (store_ == nullptr || (known && known->from_config)) co_return guard_.revoke_key(id);
  auto revoked = co_await on_workers(
      *workers_, [this, &id] { return store_->revoke_api_key(id, wall_->now()); });
  if (!revoked) co_return revoked.status();
  // Also brings in a key made on another replica that this one has not read yet.
  if (auto key = stored_key_of(*revoked)) guard_.sync_keys({*key});
  co_return core::Status::ok();
}

}  // namespace autoglm::api
