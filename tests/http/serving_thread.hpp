// An http::Server on a free loopback port, run by a thread of its own for as long as the
// object lives: for tests that talk to a real server.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>

#include "http/server.hpp"

namespace autoglm::http {

class ServingThread {
 public:
  explicit ServingThread(Handler handler)
      : server_(std::make_unique<Server>(io_, ServerOptions{}, std::move(handler))) {
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ServingThread() {
    server_->stop_accepting();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  ServingThread(const ServingThread&) = delete;
  ServingThread& operator=(const ServingThread&) = delete;

  std::uint16_t port() const { return server_->port(); }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

}  // namespace autoglm::http
