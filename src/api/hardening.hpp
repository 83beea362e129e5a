// The gateway's hardening in one object: the guard (keys, tenants, limits) with the service
// that keeps run-time keys in the store, the answer cache and the model routes, built from
// configuration together and reloaded together (SIGHUP), so a bad reload changes nothing.
// Gateway owns one; see docs/hardening.md.
// Threading: thread-safe; each part swaps immutable snapshots.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/answer_cache.hpp"
#include "api/guard.hpp"
#include "api/key_service.hpp"
#include "api/model_routes.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "core/task.hpp"
#include "dispatch/node_set.hpp"

namespace autoglm::api {

// Everything create() and reload() check that config::load cannot (tenants, keys, routes),
// for `autoglm config check` and start-up.
core::Status check_hardening(const config::Config& config);

class Hardening {
 public:
  // kInvalidArgument naming the config key when check_hardening fails.
  static core::Result<std::unique_ptr<Hardening>> create(const config::Config& config);
  // From parts already validated (create() builds them).
  Hardening(GuardSettings guard, std::shared_ptr<const routing::RouteTable> routes,
            const config::CacheConfig& cache, const config::AuthConfig& auth);

  // Applies auth, tenants, limits, cache and routes from `config`, or nothing at all (and
  // returns why) when any of them is invalid.
  core::Status reload(const config::Config& config);

  Guard& guard() { return *guard_; }
  KeyService& keys() { return *keys_; }
  AnswerCache& cache() { return *cache_; }

  // For a parsed completion of `context.tenant`: charges its estimated tokens and, when the
  // model has a route, restricts the task to the chosen subset's nodes. Returns the subset's
  // name ("" without a route), or kUnavailable when the subset has no node.
  core::Result<std::string> place_task(
      const RequestContext& context, core::TaskSpec& task,
      const std::function<std::string_view(std::string_view)>& header,
      const dispatch::NodeSet& nodes);

 private:
  core::SteadyClock clock_;
  std::unique_ptr<Guard> guard_;
  std::unique_ptr<KeyService> keys_;  // run-time keys; uses guard_
  std::unique_ptr<AnswerCache> cache_;
  std::unique_ptr<ModelRoutes> routes_;
};

}  // namespace autoglm::api
