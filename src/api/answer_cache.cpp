#include "api/answer_cache.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <functional>

#include "cache/cache_key.hpp"
#include "cache/cache_policy.hpp"
#include "cache/sse_assemble.hpp"
#include "cache/sse_replay.hpp"
#include "http/header_value.hpp"
#include "http/server.hpp"

namespace autoglm::api {

namespace json = boost::json;

namespace {

// Whether `body` has the bytes "temperature" in quotes. Boyer-Moore-Horspool skips most of
// a body a dozen bytes at a time; a plain find stops at every quote of the JSON.
bool mentions_temperature(std::string_view body) {
  static constexpr std::string_view kKey = "\"temperature\"";
  static const std::boyer_moore_horspool_searcher searcher(kKey.begin(), kKey.end());
  return std::search(body.begin(), body.end(), searcher) != body.end();
}

bool wants_usage(const json::object& body) {
  const auto* options = body.if_contains("stream_options");
  if (options == nullptr || !options->is_object()) return false;
  const auto* usage = options->as_object().if_contains("include_usage");
  return usage != nullptr && usage->is_bool() && usage->as_bool();
}

boost::asio::awaitable<void> replay(http::Exchange& exchange, const cache::CachedResponse& hit,
                                    bool stream, bool include_usage) {
  if (stream) {
    auto events = cache::render_sse(hit.body, cache::SseOptions{include_usage});
    if (events) {
      http::bhttp::response<http::bhttp::empty_body> head{http::bhttp::status::ok, 11};
      head.set(http::bhttp::field::content_type, "text/event-stream");
      head.set(http::bhttp::field::cache_control, "no-cache");
      if (co_await exchange.begin_stream(std::move(head))) {
        co_await exchange.write_chunk(*events);
        co_await exchange.end_stream();
      }
      co_return;
    }
  }
  co_await exchange.respond(200, hit.body);
}

}  // namespace

AnswerCache::AnswerCache(const config::CacheConfig& config, const core::Clock& clock)
    : clock_(clock), state_(make_state(config)) {}

std::shared_ptr<const AnswerCache::State> AnswerCache::make_state(
    const config::CacheConfig& config) const {
  auto state = std::make_shared<State>();
  state->config = config;
  if (config.enabled) {
    cache::CacheOptions options;
    options.max_bytes = config.max_bytes;
    options.max_entry_bytes = config.max_entry_bytes;
    options.ttl = config.ttl;
    state->cache = std::make_shared<cache::ResponseCache>(options, clock_);
  }
  return state;
}

void AnswerCache::reload(const config::CacheConfig& config) {
  if (state_.load()->config == config) return;
  state_.store(make_state(config));
}

cache::CacheStats AnswerCache::stats() const {
  auto state = state_.load();
  return state->cache ? state->cache->stats() : cache::CacheStats{};
}

void AnswerCache::clear() {
  if (auto state = state_.load(); state->cache) state->cache->clear();
}

boost::asio::awaitable<bool> AnswerCache::serve(http::Exchange& exchange, std::string_view tenant,
                                                std::string_view route) {
  const auto state = state_.load();
  if (!state->cache) co_return false;
  const http::Request& request = exchange.request();
  const std::string_view opt_in = http::header_value(request, "x-autoglm-cache");
  // Most requests are not deterministic: skip the JSON parse when they cannot be.
  if (opt_in != "1" && !mentions_temperature(request.body())) co_return false;
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body(), ec);
  if (ec || !parsed.is_object()) co_return false;  // the request parser reports it
  const json::object& body = parsed.as_object();
  const cache::CachePlan plan =
      cache::plan_cache(body, {http::header_value(request, "cache-control"), opt_in});
  if (!plan.lookup && !plan.store) co_return false;

  const cache::CacheKey key = cache::make_cache_key(tenant, route, body);
  const auto* stream_flag = body.if_contains("stream");
  const bool stream = stream_flag && stream_flag->is_bool() && stream_flag->as_bool();
  if (plan.lookup) {
    if (auto hit = state->cache->lookup(key)) {
      exchange.add_header("x-autoglm-cache", "hit");
      co_await replay(exchange, *hit, stream, wants_usage(body));
      co_return true;
    }
  }
  exchange.add_header("x-autoglm-cache", plan.lookup ? "miss" : "bypass");
  if (plan.store && !stream) {
    exchange.on_answer([cache = state->cache, key](unsigned status, const std::string& answer) {
      if (status == 200) cache->insert(key, answer);
    });
  }
  if (plan.store && stream) {
    // A stream is stored as the plain answer it adds up to; its events weigh a few times
    // the answer, so the kept text may be larger than an entry.
    exchange.on_stream_answer(
        [cache = state->cache, key](unsigned status, const std::string& sse) {
          if (status != 200) return;
          if (auto answer = cache::assemble_sse(sse)) cache->insert(key, *answer);
        },
        8 * state->config.max_entry_bytes);
  }
  co_return false;
}

}  // namespace autoglm::api
