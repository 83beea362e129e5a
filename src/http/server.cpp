#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <mutex>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include "http/header_value.hpp"
#include "http/parse_buffered.hpp"
#include "http/wire.hpp"

namespace autoglm::http {

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
using tcp = asio::ip::tcp;

// The fields every answer carries besides its own, whole or streamed, a Beast message or a
// relayed head: the server's name, the request id, and the headers added to the exchange.
template <class Set>
void for_each_stamped_field(const std::string& request_id,
                            const std::vector<std::pair<std::string, std::string>>& extra_headers,
                            Set&& set) {
  set("Server", "autoglm");
  set("x-request-id", request_id);
  for (const auto& [name, value] : extra_headers) set(name, value);
}

// A Beast message's head gets the request's HTTP version, keep-alive and the fields above.
template <class Message>
void stamp_head(Message& head, unsigned version, bool keep_alive, const std::string& request_id,
                const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  head.version(version);
  head.keep_alive(keep_alive);
  for_each_stamped_field(
      request_id, extra_headers,
      [&](std::string_view name, std::string_view value) { head.set(name, value); });
}

// What Beast's keep_alive() writes: HTTP/1.1 says only "close", HTTP/1.0 only "keep-alive".
std::string_view connection_value(unsigned version, bool keep_alive) {
  if (version >= 11) return keep_alive ? std::string_view() : "close";
  return keep_alive ? "keep-alive" : std::string_view();
}
}  // namespace

std::string make_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) id[static_cast<std::size_t>(i)] = kHex[v & 0xf];
  return id;
}

// ---- Exchange -------------------------------------------------------------------------

Exchange::Exchange(tcp::socket& socket, Deadline& deadline, Request& request,
                   std::string request_id, const std::atomic<bool>* draining,
                   std::chrono::milliseconds write_timeout)
    : socket_(socket),
      deadline_(deadline),
      request_(request),
      request_id_(std::move(request_id)),
      keep_alive_(request.keep_alive()),
      draining_(draining),
      write_timeout_(write_timeout) {}

std::string_view Exchange::target_path() const {
  std::string_view target = request_.target();
  return target.substr(0, target.find('?'));
}

void Exchange::start_answer() {
  responded_ = true;
  if (draining_ && draining_->load()) keep_alive_ = false;
}

asio::awaitable<void> Exchange::respond(Response response) {
  start_answer();
  stamp_head(response, request_.version(), keep_alive_, request_id_, extra_headers_);
  if (answer_sink_) answer_sink_(response.result_int(), response.body());
  response.prepare_payload();
  auto armed = deadline_.arm(socket_, write_timeout_);
  const beast::error_code ec = co_await write_message(socket_, response);
  if (ec) client_gone_ = true;
}

std::string Exchange::relay_head(unsigned status, Fields fields, std::string_view framing) const {
  std::string head;
  head.reserve(512);
  const unsigned version = request_.version();
  append_status_line(head, version, status,
                     bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
  for (const auto& [name, value] : fields) append_field(head, name, value);
  // In the order stamp_head() gives a Beast message: the same answer, the same bytes.
  if (const auto connection = connection_value(version, keep_alive_); !connection.empty()) {
    append_field(head, "Connection", connection);
  }
  for_each_stamped_field(
      request_id_, extra_headers_,
      [&](std::string_view name, std::string_view value) { append_field(head, name, value); });
  head.append(framing);
  head.append("\r\n");
  return head;
}

asio::awaitable<void> Exchange::respond(unsigned status, Fields fields, std::string body) {
  start_answer();
  if (answer_sink_) answer_sink_(status, body);
  // Framed as prepare_payload() frames a Beast message with a string body.
  const std::string head =
      relay_head(status, fields, "Content-Length: " + std::to_string(body.size()) + "\r\n");
  auto armed = deadline_.arm(socket_, write_timeout_);
  const beast::error_code ec = co_await write_bytes(socket_, head, body);
  if (ec) client_gone_ = true;
}

asio::awaitable<void> Exchange::respond(unsigned status, std::string body,
                                        std::string_view content_type) {
  Response response{static_cast<bhttp::status>(status), request_.version()};
  response.set(bhttp::field::content_type, content_type);
  response.body() = std::move(body);
  co_await respond(std::move(response));
}

void Exchange::prepare_stream(bhttp::response<bhttp::empty_body> head) {
  start_answer();
  stamp_head(head, request_.version(), keep_alive_, request_id_, extra_headers_);
  head.chunked(true);
  stream_status_ = head.result_int();
  pending_head_.clear();
  append_head(pending_head_, head.base());
}

void Exchange::prepare_stream(unsigned status, Fields fields) {
  start_answer();
  stream_status_ = status;
  pending_head_ = relay_head(status, fields, "Transfer-Encoding: chunked\r\n");
}

asio::awaitable<bool> Exchange::begin_stream(bhttp::response<bhttp::empty_body> head) {
  prepare_stream(std::move(head));
  co_await send_chunked({}, false);
  co_return !client_gone_;
}

void Exchange::keep_streamed(std::string_view data) {
  if (!stream_sink_ || data.empty()) return;
  if (stream_body_.size() + data.size() > stream_max_bytes_) {
    stream_sink_ = nullptr;  // too long to show: stop keeping it
    std::string().swap(stream_body_);
  } else {
    stream_body_.append(data);
  }
}

asio::awaitable<void> Exchange::send_chunked(std::string_view data, bool last) {
  auto armed = deadline_.arm(socket_, write_timeout_);
  const beast::error_code ec = co_await write_chunked(socket_, pending_head_, data, last);
  pending_head_.clear();
  if (ec) client_gone_ = true;
}

asio::awaitable<bool> Exchange::write_chunk(std::string_view data) {
  if (client_gone_ || data.empty()) co_return !client_gone_;
  keep_streamed(data);
  co_await send_chunked(data, false);
  co_return !client_gone_;
}

asio::awaitable<void> Exchange::end_stream(std::string_view last_data) {
  if (client_gone_) co_return;
  keep_streamed(last_data);
  // Every chunk reached the client or goes out now: the answer is whole. It is shown
  // before the end goes out, so a request the client sends once it has read it finds it
  // stored.
  if (stream_sink_) stream_sink_(stream_status_, stream_body_);
  co_await send_chunked(last_data, true);
}

// ---- Server ---------------------------------------------------------------------------

// State shared by the acceptor and every connection; outlives the Server if needed.
struct Server::Shared {
  struct Session {
    tcp::socket* socket = nullptr;
    asio::any_io_executor strand;
    bool idle = true;  // waiting for the next request (touched on the strand only)
  };
  std::mutex mu;
  std::unordered_map<std::uint64_t, std::shared_ptr<Session>> sessions;
  std::uint64_t next_id = 0;
  std::atomic<bool> draining{false};
};

namespace {

void close_on_strand(const std::shared_ptr<Server::Shared>&, const auto& session) {
  asio::post(session->strand, [session] {
    if (session->idle && session->socket) {
      beast::error_code ignored;
      session->socket->shutdown(tcp::socket::shutdown_both, ignored);
      session->socket->close(ignored);
    }
  });
}

}  // namespace

Server::Server(asio::io_context& io, ServerOptions options, Handler handler)
    : io_(io),
      options_(std::move(options)),
      handler_(std::move(handler)),
      shared_(std::make_shared<Shared>()),
      in_flight_(std::make_shared<std::atomic<std::size_t>>(0)),
      connections_(std::make_shared<std::atomic<std::size_t>>(0)) {}

Server::~Server() { stop_accepting(); }

void Server::start() {
  tcp::endpoint endpoint{asio::ip::make_address(options_.host), options_.port};
  acceptor_ = std::make_shared<tcp::acceptor>(io_);
  beast::error_code ec;
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + options_.host + ":" +
                             std::to_string(options_.port) + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint().port();
  asio::co_spawn(acceptor_->get_executor(), accept_loop(), asio::detached);
}

void Server::stop_accepting() {
  shared_->draining = true;
  if (auto acceptor = acceptor_) {
    asio::post(acceptor->get_executor(), [acceptor] {
      beast::error_code ignored;
      acceptor->close(ignored);
    });
  }
}

void Server::close_idle_connections() {
  shared_->draining = true;
  std::lock_guard lock(shared_->mu);
  for (auto& [id, session] : shared_->sessions) close_on_strand(shared_, session);
}

namespace {

struct SessionContext {
  ServerOptions options;
  Handler handler;
  std::shared_ptr<Server::Shared> shared;
  std::shared_ptr<std::atomic<std::size_t>> in_flight;
  std::shared_ptr<std::atomic<std::size_t>> connections;
};

asio::awaitable<void> reject(tcp::socket& socket, Deadline& deadline, unsigned status,
                             std::string_view why) {
  Response response{static_cast<bhttp::status>(status), 11};
  response.set(bhttp::field::content_type, "application/json");
  response.set(bhttp::field::connection, "close");
  response.body() = std::string(R"({"error":{"message":")") + std::string(why) +
                    R"(","type":"invalid_request_error","param":null,"code":null}})";
  response.prepare_payload();
  auto armed = deadline.arm(socket, std::chrono::seconds(5));
  co_await write_message(socket, response);
}

asio::awaitable<void> run_session(tcp::socket socket, std::shared_ptr<SessionContext> ctx) {
  const asio::any_io_executor strand = co_await asio::this_coro::executor;
  Deadline deadline(strand);
  auto session = std::make_shared<Server::Shared::Session>();
  session->socket = &socket;
  session->strand = strand;
  std::uint64_t session_id;
  {
    std::lock_guard lock(ctx->shared->mu);
    session_id = ctx->shared->next_id++;
    ctx->shared->sessions.emplace(session_id, session);
  }
  ++*ctx->connections;

  beast::flat_buffer buffer;
  const auto& opt = ctx->options;
  for (;;) {
    session->idle = true;
    if (ctx->shared->draining) break;
    if (buffer.size() == 0) {
      // Wait for the first byte of the next request under the idle timeout.
      auto armed = deadline.arm(socket, opt.idle_timeout);
      auto [ec, n] = co_await socket.async_read_some(buffer.prepare(4096), kNoThrow);
      if (ec) break;
      buffer.commit(n);
    }
    session->idle = false;

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(opt.max_body_bytes);
    // A request usually arrives whole in one read: parse what is buffered first, and read
    // (under the header timeout) only for what is missing.
    beast::error_code hec = parse_buffered(parser, buffer);
    if (!hec && !parser.is_header_done()) {
      auto armed = deadline.arm(socket, opt.header_timeout);
      std::tie(hec, std::ignore) =
          co_await bhttp::async_read_header(socket, buffer, parser, kNoThrow);
      hec = deadline.explain(hec);
    }
    if (hec == bhttp::error::header_limit) {
      co_await reject(socket, deadline, 431, "request header fields too large");
      break;
    }
    if (hec == bhttp::error::body_limit) {  // a declared Content-Length over the limit
      co_await reject(socket, deadline, 413, "request body larger than server.max-body-bytes");
      break;
    }
    if (hec) {
      if (hec != beast::error::timeout && hec != bhttp::error::end_of_stream &&
          hec != asio::error::eof) {
        co_await reject(socket, deadline, 400, "malformed HTTP request");
      }
      break;
    }
    // Beast accepts a Transfer-Encoding without "chunked" last and then reads no body; a
    // proxy in front may frame the same bytes differently (request smuggling). RFC 9112
    // 6.3: answer 400 and close.
    if (parser.get().count(bhttp::field::transfer_encoding) > 0 && !parser.chunked()) {
      co_await reject(socket, deadline, 400, "Transfer-Encoding must end with chunked");
      break;
    }
    beast::error_code bec = parse_buffered(parser, buffer);
    if (!bec && !parser.is_done()) {
      auto armed = deadline.arm(socket, opt.header_timeout);
      std::tie(bec, std::ignore) = co_await bhttp::async_read(socket, buffer, parser, kNoThrow);
    }
    if (bec == bhttp::error::body_limit) {
      co_await reject(socket, deadline, 413, "request body larger than server.max-body-bytes");
      break;
    }
    if (bec) break;

    Request request = parser.release();
    const std::string_view incoming_id = header_value(request, "x-request-id");
    std::string request_id = incoming_id.empty() || incoming_id.size() > 128
                                 ? make_request_id()
                                 : std::string(incoming_id);
    Exchange exchange(socket, deadline, request, std::move(request_id), &ctx->shared->draining,
                      opt.idle_timeout);
    ++*ctx->in_flight;
    try {
      co_await ctx->handler(exchange);
    } catch (const std::exception& e) {
      spdlog::error("request {}: handler failed: {}", exchange.request_id(), e.what());
    }
    if (!exchange.responded()) {
      co_await exchange.respond(
          500,
          R"({"error":{"message":"internal error","type":"internal_error","param":null,"code":null}})");
    }
    --*ctx->in_flight;
    if (!exchange.keep_alive()) break;
  }

  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  {
    std::lock_guard lock(ctx->shared->mu);
    session->socket = nullptr;
    ctx->shared->sessions.erase(session_id);
  }
  --*ctx->connections;
}

}  // namespace

asio::any_io_executor Server::connection_executor() {
  if (options_.single_thread) return io_.get_executor();
  return asio::make_strand(io_);
}

asio::awaitable<void> Server::accept_loop() {
  auto acceptor = acceptor_;
  auto ctx = std::make_shared<SessionContext>(
      SessionContext{options_, handler_, shared_, in_flight_, connections_});
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(connection_executor(), kNoThrow);
    if (ec) {
      if (!acceptor->is_open()) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, run_session(std::move(socket), ctx), asio::detached);
  }
}

}  // namespace autoglm::http
