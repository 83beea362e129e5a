#include "integration/http_client.hpp"

#include <algorithm>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace autoglm::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& target,
                          const std::string& body, const std::map<std::string, std::string>& headers,
                          std::chrono::milliseconds timeout) {
  HttpResponse out;
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  beast::error_code ec;
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  // Deadlines are enforced by running the async operations under tcp_stream's timer.
  bool done = false;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bhttp::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
    if (wec) {
      out.error = "write: " + wec.message();
      done = true;
      return;
    }
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code rec, std::size_t) {
      if (rec) out.error = "read: " + rec.message();
      done = true;
    });
  });
  io.run();
  (void)done;
  if (!out.error.empty()) return out;
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    out.headers[name] = std::string(field.value());
  }
  out.body = res.body();
  return out;
}

std::string chat_body(const std::string& model, int max_tokens, bool stream,
                      const std::string& text) {
  boost::json::object message{{"role", "user"}, {"content", text}};
  boost::json::object body;
  body["model"] = model;
  body["messages"] = boost::json::array{message};
  body["max_tokens"] = max_tokens;
  body["stream"] = stream;
  return boost::json::serialize(body);
}

}  // namespace autoglm::testing
