// The response cache in the gateway (cache-aside): a deterministic completion request is
// answered from the cache when it can be, as JSON or replayed as an SSE stream; otherwise
// its complete 200 answer is stored as it goes out. Policy, key and storage are cache/.
// Threading: thread-safe. The cache is swapped atomically when its settings change on
// reload; a request keeps the cache it looked up in.
#pragma once

#include <atomic>
#include <memory>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "cache/response_cache.hpp"
#include "config/hardening_config.hpp"
#include "core/clock.hpp"

namespace autoglm::http {
class Exchange;
}

namespace autoglm::api {

class AnswerCache {
 public:
  AnswerCache(const config::CacheConfig& config, const core::Clock& clock);

  // Answers `exchange` from the cache and returns true on a hit. On a miss that may be
  // stored, arranges for the answer to be stored once sent. Either way adds
  // x-autoglm-cache (hit, miss, bypass) to cacheable requests. `route` is the OpenAI
  // route ("/v1/chat/completions"); the key covers tenant, route and normalised body.
  boost::asio::awaitable<bool> serve(http::Exchange& exchange, std::string_view tenant,
                                     std::string_view route);

  // New settings (SIGHUP): a changed size or TTL starts an empty cache.
  void reload(const config::CacheConfig& config);
  cache::CacheStats stats() const;
  void clear();

 private:
  struct State {
    config::CacheConfig config;
    std::shared_ptr<cache::ResponseCache> cache;  // null when disabled
  };
  std::shared_ptr<const State> make_state(const config::CacheConfig& config) const;

  const core::Clock& clock_;
  std::atomic<std::shared_ptr<const State>> state_;
};

}  // namespace autoglm::api
