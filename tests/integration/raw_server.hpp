// Test support: a bare TCP server on a free loopback port for backends that misbehave on
// purpose. Each accepted connection is handed to `on_connection` on the accept thread and
// kept open until the server is destroyed, so a handler that returns leaves it hanging.
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "integration/process.hpp"

namespace autoglm::testing {

class RawServer {
 public:
  explicit RawServer(std::function<void(int fd)> on_connection = {})
      : on_connection_(std::move(on_connection)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    port_ = bind_loopback(fd_);
    ::listen(fd_, 64);
    thread_ = std::thread([this] {
      while (!stop_) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) break;
        clients_.push_back(c);
        if (on_connection_) on_connection_(c);
      }
    });
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;
  ~RawServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    for (int c : clients_) ::close(c);
  }
  std::uint16_t port() const { return port_; }

 private:
  std::function<void(int)> on_connection_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<int> clients_;  // only the accept thread touches it until the join
  std::thread thread_;
};

}  // namespace autoglm::testing
