#include "simnode/simnode.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <ctime>
#include <optional>
#include <thread>

#include "http/errors.hpp"
#include "http/server.hpp"
#include "sim/prefix_cache.hpp"
#include "simnode/embeddings.hpp"
#include "simnode/engine_driver.hpp"
#include "simnode/metrics_text.hpp"
#include "simnode/openai_format.hpp"
#include "simnode/text_gen.hpp"

namespace autoglm::simnode {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

struct SimNode::Impl {
  explicit Impl(SimNodeOptions opts)
      : options(std::move(opts)),
        driver(io, sim::Engine(sim::LatencyModel(options.profile)), options.speedup) {
    // One entry per 256-byte chunk, about 64 tokens of English.
    if (options.prefix_caching) {
      prefix_cache.emplace(static_cast<std::size_t>(options.profile.kv_capacity_tokens / 64) + 1);
    }
  }
  std::int64_t cached_tokens(const SimRequest& request);

  asio::awaitable<void> handle(http::Exchange& exchange);
  asio::awaitable<void> complete(http::Exchange& exchange, bool chat);
  asio::awaitable<void> embed(http::Exchange& exchange);
  asio::awaitable<std::shared_ptr<SequenceFeed>> admit(http::Exchange& exchange,
                                                       const std::string& model,
                                                       std::int64_t prompt_tokens,
                                                       std::int64_t max_tokens,
                                                       const SimRequest* cache_lookup);
  asio::awaitable<void> error(http::Exchange& exchange, const core::Status& status) {
    co_await exchange.respond(static_cast<unsigned>(http::http_status_for(status.code())),
                              http::openai_error_body(status));
  }

  SimNodeOptions options;
  asio::io_context io{1};
  EngineDriver driver;
  std::optional<sim::PrefixCache> prefix_cache;  // with options.prefix_caching
  std::unique_ptr<http::Server> server;
  std::thread thread;
};

asio::awaitable<void> SimNode::Impl::handle(http::Exchange& exchange) {
  const auto path = exchange.target_path();
  const bool post = exchange.request().method() == bhttp::verb::post;
  if (path == "/v1/chat/completions" && post) {
    co_await complete(exchange, true);
  } else if (path == "/v1/completions" && post) {
    co_await complete(exchange, false);
  } else if (path == "/v1/embeddings" && post) {
    co_await embed(exchange);
  } else if (path == "/metrics") {
    const sim::EngineStats stats = driver.stats();
    co_await exchange.respond(
        200,
        render_vllm_metrics(stats, options.model,
                            sim::gpu_memory(options.profile, stats.kv_used_tokens)),
        "text/plain; version=0.0.4; charset=utf-8");
  } else if (path == "/health" || path == "/healthz") {
    co_await exchange.respond(200, R"({"status":"ok"})");
  } else if (path == "/v1/models") {
    co_await exchange.respond(
        200, R"({"object":"list","data":[{"id":")" + options.model +
                 R"(","object":"model","created":0,"owned_by":"autoglm-simnode"}]})");
  } else {
    co_await error(exchange, core::not_found("no route for " + std::string(path)));
  }
}

// The prompt tokens its cache holds (matched chunks, priced at the prompt's tokens per
// byte); the prompt's chunks are cached from now on.
std::int64_t SimNode::Impl::cached_tokens(const SimRequest& request) {
  if (!prefix_cache || request.prompt_bytes == 0) return 0;
  const std::size_t matched = prefix_cache->match(request.prefix_hashes);
  prefix_cache->insert(request.prefix_hashes);
  return request.prompt_tokens * static_cast<std::int64_t>(matched * 256) / request.prompt_bytes;
}

// Checks the model and submits the sequence to the engine, with the prompt tokens the
// prefix cache holds for `cache_lookup` (none when null); on failure answers the error and
// returns null. The cache is consulted (and fed) only for a request this node serves.
asio::awaitable<std::shared_ptr<SequenceFeed>> SimNode::Impl::admit(
    http::Exchange& exchange, const std::string& model, std::int64_t prompt_tokens,
    std::int64_t max_tokens, const SimRequest* cache_lookup) {
  if (model != options.model) {
    co_await error(exchange,
                   core::not_found("the model '" + model + "' does not exist; this node serves '" +
                                       options.model + "'",
                                   "model"));
    co_return nullptr;
  }
  const std::int64_t cached = cache_lookup != nullptr ? cached_tokens(*cache_lookup) : 0;
  auto submitted = driver.submit(prompt_tokens, max_tokens, cached);
  if (!submitted) {
    co_await error(exchange, submitted.status());
    co_return nullptr;
  }
  co_return std::move(submitted).value();
}

// Embeddings run through the engine as a prefill of every input's tokens and one step.
asio::awaitable<void> SimNode::Impl::embed(http::Exchange& exchange) {
  auto parsed = parse_embedding_request(exchange.request().body());
  if (!parsed) {
    co_await error(exchange, parsed.status());
    co_return;
  }
  const EmbeddingRequest& request = *parsed;
  std::shared_ptr<SequenceFeed> feed =
      co_await admit(exchange, request.model, request.prompt_tokens, 1, nullptr);
  if (!feed) co_return;
  while (!feed->finished) {
    co_await EngineDriver::wait(*feed);
    feed->events.clear();
  }
  co_await exchange.respond(200, embedding_body(request, options.seed));
}

asio::awaitable<void> SimNode::Impl::complete(http::Exchange& exchange, bool chat) {
  auto parsed = parse_sim_request(exchange.request().body(), chat,
                                  SimLimits{options.default_max_tokens, options.max_model_len});
  if (!parsed) {
    co_await error(exchange, parsed.status());
    co_return;
  }
  const SimRequest& request = *parsed;

  std::shared_ptr<SequenceFeed> feed =
      co_await admit(exchange, request.model, request.prompt_tokens, request.max_tokens, &request);
  if (!feed) co_return;
  const std::string id = (chat ? "chatcmpl-" : "cmpl-") + exchange.request_id();
  const std::int64_t created = static_cast<std::int64_t>(std::time(nullptr));
  TextGenerator text(options.seed ^ request.content_hash);
  const Usage usage{request.prompt_tokens, request.max_tokens};

  if (!request.stream) {
    std::string answer;
    while (!feed->finished) {
      co_await EngineDriver::wait(*feed);
      feed->events.clear();
    }
    for (std::int64_t i = 0; i < request.max_tokens; ++i) answer += text.next();
    co_await exchange.respond(200, completion_body(request, id, created, answer, usage));
    co_return;
  }

  bhttp::response<bhttp::empty_body> head{bhttp::status::ok, 11};
  head.set(bhttp::field::content_type, "text/event-stream");
  head.set(bhttp::field::cache_control, "no-cache");
  if (!co_await exchange.begin_stream(std::move(head))) {
    driver.cancel(feed);
    co_return;
  }
  std::int64_t emitted = 0;
  std::string batch;
  for (bool done = false; !done;) {
    co_await EngineDriver::wait(*feed);
    batch.clear();
    while (!feed->events.empty()) {
      const auto event = feed->events.front();
      feed->events.pop_front();
      while (emitted < event.generated) {
        ++emitted;
        batch += stream_event(request, id, created, text.next(), emitted == 1, false);
      }
      done = done || event.kind == sim::EngineEvent::Kind::kFinished;
    }
    if (done) {
      batch += stream_event(request, id, created, "", false, true);
      if (request.include_usage) batch += usage_event(request, id, created, usage);
      batch += "data: [DONE]\n\n";
    }
    if (!co_await exchange.write_chunk(batch)) {
      driver.cancel(feed);
      co_return;
    }
  }
  co_await exchange.end_stream();
}

SimNode::SimNode(SimNodeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

SimNode::~SimNode() { stop(); }

void SimNode::start() {
  http::ServerOptions server_options;
  server_options.host = impl_->options.host;
  server_options.port = impl_->options.port;
  server_options.server_name = "autoglm-simnode";
  server_options.single_thread = true;  // impl_->thread alone runs impl_->io
  impl_->server = std::make_unique<http::Server>(
      impl_->io, server_options,
      [impl = impl_.get()](http::Exchange& exchange) { return impl->handle(exchange); });
  impl_->server->start();
  impl_->driver.start();
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
  spdlog::info("simnode {} serving {} on {} (profile {}, speedup {})", impl_->options.node_id,
               impl_->options.model, url(), impl_->options.profile.name, impl_->options.speedup);
}

void SimNode::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->server->stop_accepting();
    impl->driver.stop();
    impl->io.stop();
  });
  impl_->thread.join();
}

std::uint16_t SimNode::port() const { return impl_->server ? impl_->server->port() : 0; }

std::string SimNode::url() const {
  return "http://" + impl_->options.host + ":" + std::to_string(port());
}

const SimNodeOptions& SimNode::options() const { return impl_->options; }

}  // namespace autoglm::simnode
