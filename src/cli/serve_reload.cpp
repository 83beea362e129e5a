#include "cli/serve_reload.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>

namespace autoglm::cli {

namespace asio = boost::asio;

void log_hardening(const config::Config& config) {
  if (!config.auth.enabled) {
    spdlog::warn(
        "authentication is off (auth.enabled: false): every request acts as tenant "
        "'default' with admin rights; set auth.enabled: true and auth.keys to require "
        "API keys");
  } else {
    spdlog::info("authentication on: {} key(s) in the configuration, {} tenant(s)",
                 config.auth.keys.size(), config.tenants.size());
  }
  if (!config.routes.empty()) spdlog::info("{} model route(s)", config.routes.size());
}

asio::awaitable<void> reload_on_sighup(asio::signal_set& signals, api::Gateway& gateway,
                                       config::LoadOptions load) {
  for (;;) {
    auto [ec, signal] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // the io_context is stopping
    auto loaded = config::load(load);
    if (!loaded) {
      spdlog::error("SIGHUP: the configuration is invalid; keeping the running one:\n{}",
                    loaded.status().message());
      continue;
    }
    if (auto applied = gateway.reload(*loaded); !applied) {
      spdlog::error("SIGHUP: the configuration is invalid; keeping the running one: {}{}",
                    applied.param().empty() ? "" : applied.param() + ": ", applied.message());
      continue;
    }
    spdlog::info(
        "SIGHUP: reloaded auth ({}), {} key(s), {} tenant(s), limits, cache, {} "
        "route(s) and upstream retries and timeouts; other sections apply at the next restart",
        loaded->auth.enabled ? "on" : "off", loaded->auth.keys.size(), loaded->tenants.size(),
        loaded->routes.size());
  }
}

}  // namespace autoglm::cli
