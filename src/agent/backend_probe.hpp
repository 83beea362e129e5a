// What the agent asks the local backend: its load from GET /metrics (through the monitor
// parser) and the models it serves from GET /v1/models. Coroutines on the caller's
// executor; the JSON parsing is a pure function.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "monitor/backend_metrics.hpp"

namespace autoglm::agent {

struct BackendReading {
  std::optional<monitor::BackendMetrics> metrics;  // absent when `error` says why
  std::string error;
};

boost::asio::awaitable<BackendReading> read_backend_metrics(std::string backend_url,
                                                            std::chrono::milliseconds timeout);

boost::asio::awaitable<core::Result<std::vector<std::string>>> list_backend_models(
    std::string backend_url, std::chrono::milliseconds timeout);

// The ids of an OpenAI model list: {"object":"list","data":[{"id":"..."}, ...]}.
core::Result<std::vector<std::string>> parse_model_list(std::string_view json);

}  // namespace autoglm::agent
