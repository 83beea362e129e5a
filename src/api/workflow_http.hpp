// What the workflow route files share: running blocking store calls on the service's
// workers from a route coroutine, JSON answers, error bodies and query parameters.
// Asio inside: include only from api/ .cpp files.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "api/gateway.hpp"
#include "core/status.hpp"
#include "http/server.hpp"
#include "store/records.hpp"

namespace autoglm::api {
class WorkflowService;
}

namespace autoglm::api::workflow_http {

// A route handler that calls fn(service, exchange, context).
template <typename Fn>
Gateway::RouteHandler bind_route(WorkflowService& service, Fn fn) {
  return [&service, fn](http::Exchange& ex, const RequestContext& ctx) {
    return fn(service, ex, ctx);
  };
}

// Runs `fn` (which may block on the store) on `pool`, then resumes the calling coroutine
// on its own executor with fn's result. The I/O thread is free meanwhile.
template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&>> on_workers(boost::asio::thread_pool& pool, F fn) {
  namespace asio = boost::asio;
  std::optional<std::invoke_result_t<F&>> out;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [&pool, &fn, &out](auto handler) {
        asio::post(pool, [&fn, &out, handler = std::move(handler)]() mutable {
          out.emplace(fn());
          auto ex = asio::get_associated_executor(handler);
          asio::post(ex, std::move(handler));
        });
      },
      asio::use_awaitable);
  co_return std::move(*out);
}

boost::asio::awaitable<void> respond_json(http::Exchange& exchange, unsigned status,
                                          const boost::json::value& body);
// The OpenAI-style error body with the status's HTTP code.
boost::asio::awaitable<void> respond_error(http::Exchange& exchange, const core::Status& status);

// A header's value, "" when absent.
std::string header(const http::Exchange& exchange, std::string_view name);
// A query parameter of the request target, percent-decoded; nullopt when absent.
std::optional<std::string> query_param(const http::Exchange& exchange, std::string_view name);

// ?state=&limit=&cursor= of a list route, for `tenant`'s records only. `states` words the
// error for an unknown state (e.g. "running, succeeded, failed or cancelled").
core::Result<store::TaskQuery> list_query(const http::Exchange& exchange, const std::string& tenant,
                                          std::string_view states);

// "no <what> <id>": what another tenant's record answers too, so ids do not leak.
core::Status not_found(std::string_view what, std::string_view id);

}  // namespace autoglm::api::workflow_http
