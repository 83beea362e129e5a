// A small HTTP/1.1 keep-alive server on Boost.Beast and C++20 coroutines, shared by the
// gateway (api/) and the simulated GPU node (simnode/). Heavy header: include it only from
// the .cpp files of front-end modules, never from logic modules.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/deadline.hpp"

namespace autoglm::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the OS picks a free port; see Server::port()
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::string server_name = "autoglm";
  // The io_context runs on one thread only. Connections then use its plain executor: with
  // one thread nothing runs concurrently, and a strand would add a lock and a reference
  // count to every operation (measured: 15 % of the gateway's instructions per request).
  bool single_thread = false;
};

// One request and its answer. A handler either calls respond() once, or begin_stream(),
// any number of write_chunk(), then end_stream(). Owned by the connection's coroutine;
// touch it only from the handler it is passed to.
class Exchange {
 public:
  // `deadline` bounds every write to the client (by `write_timeout`).
  Exchange(asio::ip::tcp::socket& socket, Deadline& deadline, Request& request,
           std::string request_id, const std::atomic<bool>* draining = nullptr,
           std::chrono::milliseconds write_timeout = std::chrono::seconds(60));

  const Request& request() const { return request_; }
  // The caller's x-request-id, or a fresh one; echoed on every answer.
  const std::string& request_id() const { return request_id_; }
  std::string_view target_path() const;  // request target without the query string

  // Sends a complete response (content-length, keep-alive as the request asked).
  asio::awaitable<void> respond(Response response);
  asio::awaitable<void> respond(unsigned status, std::string body,
                                std::string_view content_type = "application/json");

  // Starts a chunked response; `head` carries status and headers. False if the client left.
  asio::awaitable<bool> begin_stream(bhttp::response<bhttp::empty_body> head);
  // Starts a chunked response whose head goes out with the first write_chunk() or with
  // end_stream(), in the same write: for a relay that already holds its first chunk.
  void prepare_stream(bhttp::response<bhttp::empty_body> head);

  // The same two for a relay, whose head is written from `fields` as given, without a Beast
  // message in between (each field set on one costs an allocation and a tree insertion).
  // The exchange adds what it adds to every answer: keep-alive, server, request id, the
  // headers of add_header(), and the framing. No name may appear twice.
  using Fields = std::span<const std::pair<std::string_view, std::string_view>>;
  asio::awaitable<void> respond(unsigned status, Fields fields, std::string body);
  void prepare_stream(unsigned status, Fields fields);
  asio::awaitable<bool> write_chunk(std::string_view data);
  // Ends the stream; `last_data`, when given, is its final chunk, sent in the same write.
  asio::awaitable<void> end_stream(std::string_view last_data = {});

  // Adds a header to whatever answer this exchange sends (respond or begin_stream), e.g.
  // x-ratelimit-* from the front door. Call before the answer starts.
  void add_header(std::string name, std::string value) {
    extra_headers_.emplace_back(std::move(name), std::move(value));
  }

  // Sees the status and body of a complete answer sent with respond(), just before it is
  // written (the response cache stores answers this way). Streams are not shown.
  void on_answer(std::function<void(unsigned status, const std::string& body)> sink) {
    answer_sink_ = std::move(sink);
  }

  // Sees the status and the whole body of a streamed answer when end_stream() is called
  // with every chunk written (not when the client left), before the last chunk is sent. Chunks are
  // kept only while a sink is set, and only up to `max_bytes`: a longer stream is not shown.
  void on_stream_answer(std::function<void(unsigned status, const std::string& body)> sink,
                        std::size_t max_bytes) {
    stream_sink_ = std::move(sink);
    stream_max_bytes_ = max_bytes;
  }

  // The connection's deadline, free while the handler runs: a handler bounds its own
  // reads and writes with it (e.g. to the node it relays), one armed span at a time.
  Deadline& deadline() { return deadline_; }

  bool responded() const { return responded_; }
  bool client_gone() const { return client_gone_; }
  // Whether the connection can serve another request after this one.
  bool keep_alive() const { return keep_alive_ && !client_gone_; }

 private:
  asio::ip::tcp::socket& socket_;
  Deadline& deadline_;
  Request& request_;
  std::string request_id_;
  bool responded_ = false;
  bool client_gone_ = false;
  bool keep_alive_ = true;
  const std::atomic<bool>* draining_;
  std::chrono::milliseconds write_timeout_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  std::function<void(unsigned, const std::string&)> answer_sink_;
  std::function<void(unsigned, const std::string&)> stream_sink_;
  std::size_t stream_max_bytes_ = 0;
  unsigned stream_status_ = 0;
  std::string stream_body_;   // what was streamed, while stream_sink_ is set
  std::string pending_head_;  // prepared by prepare_stream(), not yet written

  // Marks the answer begun; a draining server closes the connection after it.
  void start_answer();
  void keep_streamed(std::string_view data);
  // The head of a relayed answer: status line, `fields`, the exchange's own, `framing`.
  std::string relay_head(unsigned status, Fields fields, std::string_view framing) const;
  // Writes the pending head (if any), `data` as a chunk (if any), and the end when `last`.
  asio::awaitable<void> send_chunked(std::string_view data, bool last);
};

using Handler = std::function<asio::awaitable<void>(Exchange&)>;

// Accepts connections and runs `handler` for each request. Runs on the io_context it is
// given; each connection lives on its own strand, so a handler may run on any I/O thread.
class Server {
 public:
  Server(asio::io_context& io, ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. Throws std::runtime_error if the address cannot be bound
  // (a start-up failure).
  void start();
  std::uint16_t port() const { return port_; }

  // Closes the listening socket; requests already read still complete.
  void stop_accepting();
  // Requests whose handler is running now.
  std::size_t in_flight() const { return in_flight_->load(); }
  // Open client connections (idle keep-alive ones included).
  std::size_t connections() const { return connections_->load(); }
  // Closes idle keep-alive connections and makes busy ones close after their answer.
  void close_idle_connections();

  struct Shared;  // connection registry shared with sessions (server.cpp)

 private:
  asio::awaitable<void> accept_loop();
  asio::any_io_executor connection_executor();

  asio::io_context& io_;
  ServerOptions options_;
  Handler handler_;
  std::shared_ptr<asio::ip::tcp::acceptor> acceptor_;
  std::shared_ptr<Shared> shared_;
  std::shared_ptr<std::atomic<std::size_t>> in_flight_;
  std::shared_ptr<std::atomic<std::size_t>> connections_;
  std::uint16_t port_ = 0;
};

// A fresh request id (16 hex characters), unique enough for logs.
std::string make_request_id();

}  // namespace autoglm::http
