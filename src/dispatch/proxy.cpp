#include "dispatch/proxy.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/container/small_vector.hpp>
#include <optional>

#include "dispatch/answer_parser.hpp"
#include "dispatch/stream_splice.hpp"
#include "dispatch/token_counter.hpp"
#include "dispatch/upstream_request.hpp"
#include "http/deadline.hpp"
#include "http/header_value.hpp"
#include "http/parse_buffered.hpp"
#include "http/wire.hpp"

namespace autoglm::dispatch {

namespace {

namespace beast = boost::beast;

constexpr std::string_view kBrokenStreamEvent =
    "data: {\"error\":{\"message\":\"the node serving this stream failed before it ended\","
    "\"type\":\"service_unavailable_error\",\"param\":null,\"code\":\"upstream_failure\"}}\n\n"
    "data: [DONE]\n\n";

bool is_event_stream(std::string_view content_type) {
  return content_type.starts_with("text/event-stream");
}

// The head fields of a relayed answer: its own, then the gateway's extra headers.
using AnswerFields =
    boost::container::small_vector<std::pair<std::string_view, std::string_view>, 8>;
AnswerFields answer_fields(std::initializer_list<std::pair<std::string_view, std::string_view>> own,
                           const ExtraHeaders& extra_headers) {
  AnswerFields fields(own.begin(), own.end());
  for (const auto& [name, value] : extra_headers) fields.emplace_back(name, value);
  return fields;
}

monitor::RequestOutcome failure_outcome(const beast::error_code& ec) {
  return ec == beast::error::timeout ? monitor::RequestOutcome::kTimeout
                                     : monitor::RequestOutcome::kReset;
}

}  // namespace

asio::awaitable<void> end_broken_stream(http::Exchange& exchange) {
  co_await exchange.write_chunk(kBrokenStreamEvent);
  co_await exchange.end_stream();
}

bool is_retryable_status(unsigned status) {
  return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
}

Proxy::Proxy(NodeSet& nodes, UpstreamPool& pool, ProxyOptions options)
    : nodes_(nodes), pool_(pool), options_(options) {}

asio::awaitable<ProxyResult> Proxy::forward(http::Exchange& exchange, std::size_t index,
                                            std::string_view upstream_target,
                                            const limits::Timeouts& timeouts,
                                            const ExtraHeaders& extra_headers,
                                            const std::function<void()>& on_first_byte,
                                            UpstreamStop* stop, bool may_retry,
                                            const Resumable* resumable) {
  const auto began = std::chrono::steady_clock::now();
  const auto stopped = [stop] { return stop != nullptr && stop->stop_requested(); };
  if (stopped()) co_return ProxyResult{ProxyOutcome::kStopped, 0};
  const auto executor = co_await asio::this_coro::executor;
  http::Deadline& deadline = exchange.deadline();
  NodeState& node = nodes_.at(index);
  const bool continuing = resumable != nullptr && !resumable->body.empty();
  const std::string_view request_body =
      continuing ? resumable->body : std::string_view(exchange.request().body());
  const auto& in = exchange.request();
  const std::string request_head =
      upstream_head(node, upstream_target,
                    {http::header_value(in, "accept"), http::header_value(in, "authorization"),
                     exchange.request_id()},
                    request_body.size());
  beast::flat_buffer buffer;
  std::optional<AnswerParser> parser_slot;
  Upstream upstream;
  beast::error_code failure;  // why the last attempt failed, when it did
  const auto first_byte_budget = std::min(timeouts.first_byte, timeouts.total);
  const auto total_by = began + timeouts.total;
  auto first_byte_by = began + first_byte_budget;  // the request sent -> the first event

  // A pooled connection the node closed meanwhile fails before any byte of an answer:
  // then one fresh connection is tried before the node is called unreachable.
  for (int attempt = 0; attempt < 2; ++attempt) {
    upstream = co_await pool_.acquire(
        index, attempt == 0,
        std::chrono::duration_cast<std::chrono::milliseconds>(timeouts.connect));
    if (!upstream.socket) break;
    if (stop) stop->attach(executor, upstream.socket.get());
    if (stopped()) break;
    first_byte_by = std::chrono::steady_clock::now() + first_byte_budget;
    auto armed = deadline.arm(*upstream.socket, first_byte_by);
    const beast::error_code wec =
        deadline.explain(co_await http::write_bytes(*upstream.socket, request_head, request_body));
    failure = wec;
    if (!wec) {
      parser_slot.emplace();
      parser_slot->body_limit(boost::none);
      beast::error_code rec;
      while (!rec && !parser_slot->is_header_done()) {
        rec = co_await read_answer(*upstream.socket, buffer, *parser_slot);
      }
      rec = deadline.explain(rec);
      if (!rec) break;
      failure = rec;
      spdlog::debug("request {}: node {} read failed: {}", exchange.request_id(), node.spec.id,
                    rec.message());
      if (rec == beast::error::timeout) break;  // a node that hangs is not asked twice
    }
    if (stop) stop->detach();
    upstream.socket.reset();
    buffer.clear();
    if (!upstream.reused || stopped()) break;
  }
  if (stopped() && !(upstream.socket && parser_slot && parser_slot->is_header_done())) {
    if (stop) stop->detach();
    co_return ProxyResult{ProxyOutcome::kStopped, 0};
  }
  if (!upstream.socket) {
    if (stop) stop->detach();
    nodes_.mark_failed(index, std::chrono::steady_clock::now(), options_.failure_backoff);
    pool_.drop(index);
    ProxyResult unreachable{ProxyOutcome::kNodeUnreachable, 0};
    unreachable.node =
        failure ? failure_outcome(failure) : monitor::RequestOutcome::kConnectFailure;
    co_return unreachable;
  }
  auto& parser = *parser_slot;
  const unsigned status = parser.status();
  ProxyResult result{ProxyOutcome::kRelayed, status};
  result.node = monitor::outcome_for_status(status);
  // A continuation goes into a stream the client already reads: an answer that is not
  // one (an error body, a JSON answer) cannot be relayed there.
  const bool unfit = continuing && (status != 200 || !is_event_stream(parser.content_type()));
  if (unfit || (may_retry && is_retryable_status(status))) {
    if (stop) stop->detach();
    spdlog::info("request {}: node {} answered {}; trying another", exchange.request_id(),
                 node.spec.id, status);
    result.outcome = ProxyOutcome::kRefused;
    co_return result;  // the connection is dropped with its unread body
  }
  TokenCounter tokens;
  std::array<char, 16 * 1024> chunk;
  // Reads the next bytes of the answer's body into `chunk`: first whatever is buffered,
  // and only when that is nothing, one read from the node (then again what it brought
  // beyond the first piece). The parser hands over one chunk of a chunked answer at a
  // time, and a node streams each event as a chunk: read chunk by chunk, a read that
  // brought five events would become five writes to the client. A read from the node
  // fails with beast::error::timeout when it has not ended by `until`.
  auto read_some = [&](http::Deadline::Clock::time_point until)
      -> asio::awaitable<std::pair<beast::error_code, std::size_t>> {
    parser.lend(chunk.data(), chunk.size());
    beast::error_code ec = http::parse_buffered(parser, buffer);
    if (!ec && parser.filled() == 0 && !parser.is_done()) {
      auto armed = deadline.arm(*upstream.socket, until);
      ec = co_await read_answer(*upstream.socket, buffer, parser);
      ec = deadline.explain(ec);
    }
    co_return std::pair{ec, parser.filled()};
  };
  const auto began_answer = [&] {
    result.first_byte = std::chrono::steady_clock::now() - began;
    if (on_first_byte) on_first_byte();
  };

  // A stream's next event comes within the idle timeout, and before the total runs out.
  const auto next_event_by = [&] {
    return std::min(std::chrono::steady_clock::now() + timeouts.idle_stream, total_by);
  };
  if (!is_event_stream(parser.content_type())) {
    if (stop) stop->detach();
    nodes_.mark_ok(index);
    began_answer();
    std::string body;
    while (!parser.is_done()) {
      auto [ec, n] = co_await read_some(total_by);
      if (ec) {
        nodes_.mark_failed(index, std::chrono::steady_clock::now(), options_.failure_backoff);
        ProxyResult unreachable{ProxyOutcome::kNodeUnreachable, 0};
        unreachable.node = failure_outcome(ec);
        co_return unreachable;
      }
      body.append(chunk.data(), n);
    }
    if (parser.keep_alive()) pool_.release(index, std::move(upstream));
    tokens.feed(body);
    const auto fields = answer_fields(
        {{"Content-Type", parser.content_type()}, {"x-autoglm-node", node.spec.id}}, extra_headers);
    co_await exchange.respond(status, fields, std::move(body));
    result.output_tokens = tokens.count();
    result.total = std::chrono::steady_clock::now() - began;
    co_return result;
  }

  // A stream's headers come at once, its first event after prefill. Until that event the
  // request has not started: the client has been sent nothing, so a stop or a node failure
  // can still move it elsewhere, and the first event is the true time to first token.
  std::size_t first_n = 0;
  while (first_n == 0 && !parser.is_done()) {
    auto [ec, n] = co_await read_some(first_byte_by);
    if (ec) {
      const bool was_stopped = stopped();
      if (stop) stop->detach();
      if (was_stopped) co_return ProxyResult{ProxyOutcome::kStopped, 0};
      spdlog::warn("request {}: node {} failed before its stream began: {}", exchange.request_id(),
                   node.spec.id, ec.message());
      nodes_.mark_failed(index, std::chrono::steady_clock::now(), options_.failure_backoff);
      pool_.drop(index);
      ProxyResult unreachable{ProxyOutcome::kNodeUnreachable, 0};
      unreachable.node = failure_outcome(ec);
      co_return unreachable;
    }
    first_n = n;
  }
  if (stop) stop->detach();
  nodes_.mark_ok(index);
  began_answer();

  if (!continuing) {
    // The head goes out with the first chunk, in one write.
    const auto fields = answer_fields({{"Content-Type", "text/event-stream"},
                                       {"Cache-Control", "no-cache"},
                                       {"x-autoglm-node", node.spec.id}},
                                      extra_headers);
    exchange.prepare_stream(status, fields);
  } else {
    resumable->splice.begin_continuation(node.spec.id);
  }
  std::string relayed;  // what the splice lets through, when there is one
  for (std::size_t n = first_n;;) {
    std::string_view bytes(chunk.data(), n);
    tokens.feed(bytes);
    if (resumable) bytes = relayed = resumable->splice.relay(bytes);
    if (parser.is_done()) {
      // The node's answer is whole: its last bytes and the end of the stream go out in
      // one write.
      if (parser.keep_alive()) pool_.release(index, std::move(upstream));
      co_await exchange.end_stream(bytes);
      if (exchange.client_gone()) result.outcome = ProxyOutcome::kClientGone;
      result.output_tokens = tokens.count();
      result.total = std::chrono::steady_clock::now() - began;
      co_return result;
    }
    if (!bytes.empty() && !co_await exchange.write_chunk(bytes)) {
      result.outcome = ProxyOutcome::kClientGone;
      result.total = std::chrono::steady_clock::now() - began;
      co_return result;
    }
    beast::error_code ec;
    std::tie(ec, n) = co_await read_some(next_event_by());
    if (ec) {
      spdlog::warn("request {}: stream from node {} broke: {}", exchange.request_id(), node.spec.id,
                   ec.message());
      nodes_.mark_failed(index, std::chrono::steady_clock::now(), options_.failure_backoff);
      if (resumable) {
        result.stream_open = true;
      } else {
        co_await end_broken_stream(exchange);
      }
      result.outcome = ProxyOutcome::kBrokenStream;
      result.node = failure_outcome(ec);
      result.total = std::chrono::steady_clock::now() - began;
      co_return result;
    }
  }
}

}  // namespace autoglm::dispatch
