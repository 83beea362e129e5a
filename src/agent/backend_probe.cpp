#include "agent/backend_probe.hpp"

#include <boost/json.hpp>

#include "http/client.hpp"

namespace autoglm::agent {

boost::asio::awaitable<BackendReading> read_backend_metrics(std::string backend_url,
                                                            std::chrono::milliseconds timeout) {
  http::ClientRequest request;
  request.url = http::join_url(backend_url, "/metrics");
  request.timeout = timeout;
  auto response = co_await http::fetch(std::move(request));
  BackendReading out;
  if (!response) {
    out.error = response.status().message();
    co_return out;
  }
  if (response->status != 200) {
    out.error = "GET " + http::join_url(backend_url, "/metrics") + " answered " +
                std::to_string(response->status);
    co_return out;
  }
  auto metrics = monitor::parse_backend_metrics(response->body, response->server);
  if (metrics.flavour == monitor::BackendFlavour::kUnknown) {
    out.error = "the backend's /metrics has no vLLM, SGLang or llama.cpp metrics";
    co_return out;
  }
  out.metrics = metrics;
  co_return out;
}

boost::asio::awaitable<core::Result<std::vector<std::string>>> list_backend_models(
    std::string backend_url, std::chrono::milliseconds timeout) {
  http::ClientRequest request;
  request.url = http::join_url(backend_url, "/v1/models");
  request.timeout = timeout;
  auto response = co_await http::fetch(std::move(request));
  if (!response) co_return response.status();
  if (response->status != 200) {
    co_return core::unavailable("GET " + http::join_url(backend_url, "/v1/models") + " answered " +
                                std::to_string(response->status));
  }
  co_return parse_model_list(response->body);
}

core::Result<std::vector<std::string>> parse_model_list(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return core::invalid_argument("/v1/models is not a JSON object");
  auto* data = v.as_object().if_contains("data");
  if (!data || !data->is_array()) return core::invalid_argument("/v1/models has no 'data' list");
  std::vector<std::string> ids;
  for (const auto& m : data->as_array()) {
    if (!m.is_object()) continue;
    auto* id = m.as_object().if_contains("id");
    if (id && id->is_string()) ids.emplace_back(id->as_string());
  }
  return ids;
}

}  // namespace autoglm::agent
