#include "loadgen/runner.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "http/client.hpp"
#include "http/wire.hpp"
#include "loadgen/sse.hpp"

namespace autoglm::loadgen {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxErrorBody = 64 * 1024;

double ms_between(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// Thousands of concurrent streams need thousands of sockets: lift the soft limit.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

struct Connection {
  explicit Connection(const asio::any_io_executor& ex) : stream(ex) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

// What reading one response produced.
struct Received {
  std::string error;  // empty: complete and well formed
  bool reusable = false;
};

// One run. Lives on one thread: every member is touched only from io_'s thread.
class LoadRun {
 public:
  LoadRun(const std::vector<PlannedRequest>& plan, const RunOptions& options, http::Url url)
      : plan_(plan),
        options_(options),
        url_(std::move(url)),
        slot_free_(io_),
        results_(plan.size()) {
    endpoints_ = tcp::resolver(io_).resolve(url_.host, url_.port);
    target_ = (url_.target == "/" ? "" : url_.target) +
              (options_.body.chat ? "/v1/chat/completions" : "/v1/completions");
    node_samples_.resize(options_.metrics_urls.size());
    node_failures_.resize(options_.metrics_urls.size());
  }

  RunOutput run() {
    t0_ = SteadyClock::now();
    if (!plan_.empty()) {
      asio::co_spawn(io_, dispatch(), asio::detached);
      for (std::size_t k = 0; k < options_.metrics_urls.size(); ++k)
        asio::co_spawn(io_, scrape(k), asio::detached);
      if (options_.progress != Progress::kOff) asio::co_spawn(io_, progress(), asio::detached);
      io_.run();
    }
    if (options_.progress == Progress::kLine) print_progress("\n");
    RunOutput out;
    out.wall_s = std::chrono::duration<double>(SteadyClock::now() - t0_).count();
    out.results = std::move(results_);
    for (std::size_t k = 0; k < options_.metrics_urls.size(); ++k)
      out.nodes.push_back(
          summarize_node(options_.metrics_urls[k], node_samples_[k], node_failures_[k]));
    return out;
  }

 private:
  SteadyClock::time_point planned(std::size_t i) const {
    return t0_ + std::chrono::duration_cast<SteadyClock::duration>(
                     std::chrono::duration<double>(plan_[i].send_at_s));
  }

  asio::awaitable<void> dispatch() {
    asio::steady_timer timer(io_);
    for (std::size_t i = 0; i < plan_.size(); ++i) {
      timer.expires_at(planned(i));
      co_await timer.async_wait(kNoThrow);
      while (options_.max_concurrency > 0 && in_flight_ >= options_.max_concurrency) {
        slot_free_.expires_at(SteadyClock::time_point::max());
        co_await slot_free_.async_wait(kNoThrow);
      }
      ++in_flight_;
      ++sent_;
      asio::co_spawn(io_, one(i), asio::detached);
    }
  }

  asio::awaitable<void> one(std::size_t i) {
    RequestResult& r = results_[i];
    const PlannedRequest& p = plan_[i];
    r.scheduled_s = p.send_at_s;
    r.warmup = p.warmup;
    r.input_tokens = p.input_tokens;
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, target_, 11};
    req.set(bhttp::field::host, url_.host + ":" + url_.port);
    req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::user_agent, "autoglm-bench");
    if (options_.body.stream) req.set(bhttp::field::accept, "text/event-stream");
    if (!options_.api_key.empty())
      req.set(bhttp::field::authorization, "Bearer " + options_.api_key);
    req.keep_alive(true);
    req.body() = request_body(p, options_.body);
    req.prepare_payload();

    const auto start = SteadyClock::now();
    const auto deadline = start + options_.timeout;
    r.start_lag_ms = ms_between(planned(i), start);
    // A kept-alive connection the server has closed meanwhile fails before any answer:
    // such a request is sent once more on a new connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::unique_ptr<Connection> c;
      const bool reused = attempt == 0 && !idle_.empty();
      if (reused) {
        c = std::move(idle_.back());
        idle_.pop_back();
      } else {
        c = std::make_unique<Connection>(io_.get_executor());
        c->stream.expires_at(deadline);
        auto [ec, ep] = co_await c->stream.async_connect(endpoints_, kNoThrow);
        if (ec) {
          r.error = ec == beast::error::timeout ? "timeout" : "connect";
          break;
        }
        c->stream.socket().set_option(tcp::no_delay(true));
      }
      c->stream.expires_at(deadline);
      const beast::error_code wec = co_await http::write_message(c->stream, req);
      bhttp::response_parser<bhttp::buffer_body> parser;
      parser.body_limit(boost::none);
      beast::error_code hec = wec;
      if (!wec)
        std::tie(hec, std::ignore) =
            co_await bhttp::async_read_header(c->stream, c->buffer, parser, kNoThrow);
      if (hec) {
        if (reused && hec != beast::error::timeout) continue;
        r.error = hec == beast::error::timeout ? "timeout" : (wec ? "send" : "no_response");
        break;
      }
      r.status = parser.get().result_int();
      Received got = co_await read_body(*c, parser, start, r);
      r.error = std::move(got.error);
      if (got.reusable) idle_.push_back(std::move(c));
      break;
    }
    const auto end = SteadyClock::now();
    r.ok = r.error.empty();
    if (r.ok)
      r.e2e_ms = ms_between(start, end);
    else
      ++failed_;
    r.finished_s = std::chrono::duration<double>(end - t0_).count();
    finished();
  }

  asio::awaitable<Received> read_body(Connection& c,
                                      bhttp::response_parser<bhttp::buffer_body>& parser,
                                      SteadyClock::time_point start, RequestResult& r) {
    const bool streamed = options_.body.stream && r.status == 200;
    char buf[8192];
    SseParser sse;
    std::vector<std::string> events;
    std::string whole;
    bool done = false;
    bool bad_event = false;
    std::int64_t tokens_seen = 0;
    std::optional<std::int64_t> usage;
    while (!parser.is_done()) {
      parser.get().body().data = buf;
      parser.get().body().size = sizeof buf;
      // read_some, not read: read would wait until `buf` is full, hiding when tokens came.
      auto [ec, n] = co_await bhttp::async_read_some(c.stream, c.buffer, parser, kNoThrow);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return Received{ec == beast::error::timeout ? "timeout" : "broken_stream", false};
      const std::string_view bytes(buf, sizeof buf - parser.get().body().size);
      if (!streamed) {
        if (whole.size() < kMaxErrorBody || r.status == 200) whole.append(bytes);
        continue;
      }
      events.clear();
      sse.feed(bytes, events);
      for (const auto& e : events) {
        const ChunkInfo info = read_chunk(e);
        done = done || info.done;
        bad_event = bad_event || info.error;
        if (info.completion_tokens) usage = info.completion_tokens;
        if (!info.token) continue;
        if (tokens_seen++ == 0) r.ttft_ms = ms_between(start, SteadyClock::now());
      }
    }
    const bool reusable = parser.keep_alive();
    if (r.status != 200) co_return Received{fmt::format("http_{}", r.status), reusable};
    if (!streamed) {
      const CompletionInfo info = read_completion(whole);
      r.output_tokens = info.completion_tokens;
      co_return Received{info.ok ? "" : "bad_response", reusable};
    }
    r.output_tokens = usage.value_or(tokens_seen);
    if (bad_event) co_return Received{"stream_error", reusable};
    if (!done || tokens_seen == 0) co_return Received{"incomplete_stream", reusable};
    co_return Received{"", reusable};
  }

  void finished() {
    --in_flight_;
    ++done_;
    slot_free_.cancel();
    if (done_ == plan_.size()) io_.stop();
  }

  asio::awaitable<void> scrape(std::size_t k) {
    asio::steady_timer timer(io_);
    for (auto next = SteadyClock::now();;) {
      http::ClientRequest req;
      req.url = options_.metrics_urls[k];
      req.timeout = std::max(options_.metrics_interval, std::chrono::milliseconds(200));
      auto res = co_await http::fetch(std::move(req));
      std::optional<NodeSample> sample;
      if (res && res->status == 200) sample = read_node_sample(res->body);
      if (sample)
        node_samples_[k].push_back(*sample);
      else
        ++node_failures_[k];
      next += options_.metrics_interval;
      timer.expires_at(std::max(next, SteadyClock::now()));
      co_await timer.async_wait(kNoThrow);
    }
  }

  asio::awaitable<void> progress() {
    asio::steady_timer timer(io_);
    const auto period = options_.progress == Progress::kLine ? std::chrono::milliseconds(500)
                                                             : std::chrono::milliseconds(10000);
    for (;;) {
      timer.expires_after(period);
      co_await timer.async_wait(kNoThrow);
      print_progress(options_.progress == Progress::kLine ? "" : "\n");
    }
  }

  void print_progress(const char* end) {
    const double t = std::chrono::duration<double>(SteadyClock::now() - t0_).count();
    std::fprintf(stderr, "\rbench: %zu/%zu sent, %zu done, %zu failed, %zu in flight, %.1f s   %s",
                 sent_, plan_.size(), done_, failed_, in_flight_, t, end);
    std::fflush(stderr);
  }

  const std::vector<PlannedRequest>& plan_;
  const RunOptions& options_;
  http::Url url_;
  std::string target_;
  asio::io_context io_{1};
  tcp::resolver::results_type endpoints_;
  asio::steady_timer slot_free_;                   // cancelled whenever a request finishes
  std::vector<std::unique_ptr<Connection>> idle_;  // kept-alive connections, most recent last
  std::vector<RequestResult> results_;
  std::vector<std::vector<NodeSample>> node_samples_;
  std::vector<std::size_t> node_failures_;
  SteadyClock::time_point t0_;
  std::size_t in_flight_ = 0;
  std::size_t sent_ = 0;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
};

}  // namespace

RunOutput run_load(const std::vector<PlannedRequest>& plan, const RunOptions& options) {
  auto url = http::parse_url(options.base_url);
  if (!url) throw std::invalid_argument(url.status().message());
  raise_open_file_limit();
  LoadRun run(plan, options, std::move(*url));
  return run.run();
}

}  // namespace autoglm::loadgen
