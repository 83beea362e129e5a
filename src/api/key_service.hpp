// Run-time API keys made durable and shared between replicas: POST and DELETE
// /admin/v1/keys write the store first, and every gateway keeps its guard's run-time ring
// in step with the store's api_keys: read at start, re-read every auth.key-refresh (the
// bound for a revocation made elsewhere to apply here) and at once when an unknown key
// arrives, at most once per auth.key-miss-refresh (so a key just made on another replica
// works on its first use here). Without a store (workflow.enabled: false) keys live in
// memory only, as they did before.
// Threading: create, revoke and refresh_on_miss are coroutines for the gateway's I/O
// threads; their store calls run on the workers pool. The periodic re-read is a coroutine
// on the io_context. use_store is called once, before the server starts.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/guard.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "store/store.hpp"
#include "tenancy/key_ring.hpp"

namespace boost::asio {
class io_context;
class thread_pool;
}  // namespace boost::asio

namespace autoglm::api {

// A key as the store keeps it, and back. nullopt when a stored row cannot be a key here
// (a hash that is not 64 hex digits, an unknown priority class name).
store::ApiKeyRecord record_of(const tenancy::KeyInfo& info, const tenancy::KeyHash& hash,
                              core::Time created_at);
std::optional<tenancy::StoredKey> stored_key_of(const store::ApiKeyRecord& record);

class KeyService {
 public:
  // `steady` times the refresh intervals; `guard` outlives this.
  KeyService(Guard& guard, const config::AuthConfig& auth, const core::Clock& steady);

  // Reads the stored keys now (blocking: call it before the server starts) and keeps the
  // guard in step with `store` from then on. `wall` stamps created_at and revoked_at.
  // Everything passed must outlive this object's use on `io`.
  void use_store(store::Store& store, boost::asio::thread_pool& workers,
                 boost::asio::io_context& io, const core::Clock& wall);
  // SIGHUP: the new auth.key-refresh and auth.key-miss-refresh (the next wait uses them).
  void set_intervals(const config::AuthConfig& auth);

  // A new key: validated, recorded in the store (when there is one), then valid here.
  // Store errors (kUnavailable) leave no key anywhere.
  boost::asio::awaitable<core::Result<tenancy::CreatedKey>> create(tenancy::KeySpec spec);
  // Revokes in the store, then here. kConflict for a configuration key, kNotFound for an
  // id the store (or, without one, the guard) does not know.
  boost::asio::awaitable<core::Status> revoke(std::string id);
  // After a 401 for `authorization`: re-reads the store when a bearer key was presented,
  // there is a store, and the last read is at least auth.key-miss-refresh old. true when
  // it read (the caller checks the key again).
  boost::asio::awaitable<bool> refresh_on_miss(std::string_view authorization);
  // Re-reads the store now (blocking). kUnavailable when it cannot be read.
  core::Status refresh();

 private:
  boost::asio::awaitable<void> refresh_loop();
  core::Duration interval(const std::atomic<std::int64_t>& ns) const {
    return core::Duration{ns.load()};
  }

  Guard& guard_;
  const core::Clock& steady_;
  std::atomic<std::int64_t> refresh_ns_;
  std::atomic<std::int64_t> miss_refresh_ns_;
  std::atomic<std::int64_t> last_read_ns_{0};  // steady time the last store read began
  std::atomic<std::size_t> clashes_{0};        // last read's, to warn only on a change
  // Set once by use_store, before requests arrive; null without a store.
  store::Store* store_ = nullptr;
  boost::asio::thread_pool* workers_ = nullptr;
  const core::Clock* wall_ = nullptr;
};

}  // namespace autoglm::api
