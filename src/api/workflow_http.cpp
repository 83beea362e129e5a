#include "api/workflow_http.hpp"

#include <boost/json.hpp>

#include "api/workflow_json.hpp"
#include "http/errors.hpp"
#include "http/header_value.hpp"

namespace autoglm::api::workflow_http {

namespace asio = boost::asio;

asio::awaitable<void> respond_json(http::Exchange& exchange, unsigned status,
                                   const boost::json::value& body) {
  co_await exchange.respond(status, boost::json::serialize(body));
}

asio::awaitable<void> respond_error(http::Exchange& exchange, const core::Status& status) {
  co_await exchange.respond(static_cast<unsigned>(http::http_status_for(status.code())),
                            http::openai_error_body(status));
}

std::string header(const http::Exchange& exchange, std::string_view name) {
  return std::string(http::header_value(exchange.request(), name));
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
               hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> query_param(const http::Exchange& exchange, std::string_view name) {
  const auto target = exchange.request().target();
  std::string_view t(target.data(), target.size());
  const auto q = t.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = t.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) != name) continue;
    return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

core::Status not_found(std::string_view what, std::string_view id) {
  return core::not_found("no " + std::string(what) + " '" + std::string(id) + "'", "id");
}

core::Result<store::TaskQuery> list_query(const http::Exchange& exchange, const std::string& tenant,
                                          std::string_view states) {
  store::TaskQuery query;
  query.tenant = tenant;
  if (auto state = query_param(exchange, "state"); state && !state->empty()) {
    query.state = store::task_state_from_name(*state);
    if (!query.state) {
      return core::invalid_argument("state must be " + std::string(states), "state");
    }
  }
  if (auto limit = query_param(exchange, "limit"); limit && !limit->empty()) {
    const auto n = parse_record_id(*limit);
    if (!n || *n > 1000) return core::invalid_argument("limit must be 1-1000", "limit");
    query.limit = static_cast<std::size_t>(*n);
  }
  if (auto cursor = query_param(exchange, "cursor")) query.cursor = *cursor;
  return query;
}

}  // namespace autoglm::api::workflow_http
