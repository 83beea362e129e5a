// Mid-stream failover: a stream whose node failed after the first byte goes on from
// another node, asked with the original request plus the text the client already has
// (dispatch/continuation.hpp), its events spliced into the same client stream.
#include <spdlog/spdlog.h>

#include "api/gateway.hpp"
#include "dispatch/continuation.hpp"

namespace autoglm::api {

boost::asio::awaitable<Gateway::Resumed> Gateway::resume_stream(
    http::Exchange& exchange, std::string_view route, core::TaskSpec task, std::size_t failed,
    const limits::Timeouts& timeouts, dispatch::StreamSplice& splice, int allowed) {
  const bool chat = task.kind == core::TaskKind::kChat;
  const std::int64_t input_tokens = task.input_tokens;
  Resumed resumed;
  // The node failed after its last token: the answer is whole, only its end was lost.
  if (splice.done() || splice.finished()) {
    if (!splice.done()) co_await exchange.write_chunk("data: [DONE]\n\n");
    co_await exchange.end_stream();
    resumed.status = 200;
    co_return resumed;
  }
  for (int resume = 0; resume < allowed; ++resume) {
    auto continuation = dispatch::continuation_request(chat, exchange.request().body(),
                                                       splice.text(), splice.tokens_sent());
    if (!continuation) {
      spdlog::warn("request {}: its stream cannot resume: {}", exchange.request_id(),
                   continuation.status().message());
      break;
    }
    // Like a retry, a continuation is extra load: during an outage the retry budget
    // bounds both.
    const auto retrying = retry_budget_.try_retry();
    if (!retrying || !core::exclude_node(task, static_cast<std::uint32_t>(failed), nodes_.size())) {
      spdlog::warn("request {}: no node may resume its stream ({})", exchange.request_id(),
                   retrying ? "none other allowed" : "retry budget spent");
      break;
    }
    task.id = next_task_id_.fetch_add(1, std::memory_order_relaxed);
    // The text so far is prefilled again on the next node: it is input there.
    task.input_tokens = input_tokens + splice.tokens_sent();
    if (continuation->max_output_tokens > 0)
      task.max_output_tokens = continuation->max_output_tokens;
    const dispatch::Resumable resumable{splice, continuation->body};
    const auto tried = co_await try_node(exchange, route, task, timeouts, {},
                                         /*may_retry=*/false, &resumable);
    if (!tried.outcome.placed) {
      spdlog::warn("request {}: no node may resume its stream: {}", exchange.request_id(),
                   tried.outcome.rejection.status.message());
      break;
    }
    const std::size_t node = tried.outcome.placement.node;
    const dispatch::ProxyResult& result = tried.result;
    settle(node, tried.admitted, task, result, /*client_latency=*/false);
    const bool streamed = result.outcome == dispatch::ProxyOutcome::kRelayed ||
                          result.outcome == dispatch::ProxyOutcome::kBrokenStream;
    if (streamed) metrics_.stream_resume(/*continued=*/true);
    if (streamed || result.outcome == dispatch::ProxyOutcome::kClientGone) {
      resumed.tokens += task.input_tokens + result.output_tokens;
    }
    switch (result.outcome) {
      case dispatch::ProxyOutcome::kRelayed:  // the proxy ended the client's stream
        spdlog::info("request {}: stream resumed on node {}", exchange.request_id(),
                     nodes_.at(node).spec.id);
        resumed.status = 200;
        co_return resumed;
      case dispatch::ProxyOutcome::kClientGone:
        resumed.status = 499;
        co_return resumed;
      default:  // it failed too, before or after its first event: maybe another node
        failed = node;
        break;
    }
  }
  metrics_.stream_resume(/*continued=*/false);
  co_await dispatch::end_broken_stream(exchange);
  co_return resumed;
}

}  // namespace autoglm::api
