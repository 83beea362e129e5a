// Test support: a blocking HTTP/1.1 client for loopback, with a deadline on every call.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace autoglm::testing {

struct HttpResponse {
  int status = 0;                              // 0 when the request failed at the transport level
  std::string error;                           // transport error, when status == 0
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& target,
                          const std::string& body = "",
                          const std::map<std::string, std::string>& headers = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

inline HttpResponse http_get(std::uint16_t port, const std::string& target) {
  return http_request(port, "GET", target);
}
inline HttpResponse http_post(std::uint16_t port, const std::string& target,
                              const std::string& body) {
  return http_request(port, "POST", target, body, {{"content-type", "application/json"}});
}

// Headers of a JSON request made with API key `key` ("Authorization: Bearer <key>").
inline std::map<std::string, std::string> as_key(const std::string& key) {
  return {{"content-type", "application/json"}, {"authorization", "Bearer " + key}};
}

// A chat request body for `model` with one user message.
std::string chat_body(const std::string& model, int max_tokens, bool stream,
                      const std::string& text = "Say something about GPUs.");

}  // namespace autoglm::testing
