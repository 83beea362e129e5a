#include "api/hardening.hpp"

namespace autoglm::api {

namespace {

struct Built {
  GuardSettings guard;
  std::shared_ptr<const routing::RouteTable> routes;
};

core::Result<Built> build(const config::Config& config) {
  auto guard = build_guard_settings(config);
  if (!guard) return guard.status();
  auto routes = build_route_table(config.routes);
  if (!routes) return routes.status();
  return Built{std::move(*guard), std::move(*routes)};
}

}  // namespace

core::Status check_hardening(const config::Config& config) {
  auto built = build(config);
  return built ? core::Status::ok() : built.status();
}

core::Result<std::unique_ptr<Hardening>> Hardening::create(const config::Config& config) {
  auto built = build(config);
  if (!built) return built.status();
  return std::make_unique<Hardening>(std::move(built->guard), std::move(built->routes),
                                     config.cache, config.auth);
}

Hardening::Hardening(GuardSettings guard, std::shared_ptr<const routing::RouteTable> routes,
                     const config::CacheConfig& cache, const config::AuthConfig& auth)
    : guard_(std::make_unique<Guard>(std::move(guard), clock_)),
      keys_(std::make_unique<KeyService>(*guard_, auth, clock_)),
      cache_(std::make_unique<AnswerCache>(cache, clock_)),
      routes_(std::make_unique<ModelRoutes>(std::move(routes))) {}

core::Status Hardening::reload(const config::Config& config) {
  auto built = build(config);
  if (!built) return built.status();
  guard_->reload(std::move(built->guard));
  keys_->set_intervals(config.auth);
  cache_->reload(config.cache);
  routes_->replace(std::move(built->routes));
  return core::Status::ok();
}

core::Result<std::string> Hardening::place_task(
    const RequestContext& context, core::TaskSpec& task,
    const std::function<std::string_view(std::string_view)>& header,
    const dispatch::NodeSet& nodes) {
  guard_->charge_tokens(context.tenant, task.input_tokens + task.max_output_tokens);
  auto choice = routes_->choose(task.model, header, nodes);
  if (!choice) return std::string();
  if (choice->nodes.empty()) {
    return core::unavailable("the route for model '" + task.model +
                             "' sent this request to subset '" + choice->subset +
                             "', which has no node right now; check routes in the configuration");
  }
  task.allowed_nodes = std::move(choice->nodes);
  return std::move(choice->subset);
}

}  // namespace autoglm::api
