// What `autoglm serve` says and does about its hardening settings: a start-up line when
// authentication is off, and SIGHUP, which reloads the configuration and applies what can
// change at run time (auth and keys, tenants, limits, cache, routes). An invalid new
// configuration is logged and changes nothing.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "api/gateway.hpp"
#include "config/loader.hpp"

namespace autoglm::cli {

// Logs how requests are authenticated and limited; a warning when auth is off.
void log_hardening(const config::Config& config);

// Runs until the io_context stops: on every signal of `signals` (SIGHUP) loads `load` again
// and hands the result to gateway.reload(). `signals` and `gateway` must outlive the
// io_context's run; create `signals` before any thread runs the io_context (see serve.cpp).
boost::asio::awaitable<void> reload_on_sighup(boost::asio::signal_set& signals,
                                              api::Gateway& gateway, config::LoadOptions load);

}  // namespace autoglm::cli
