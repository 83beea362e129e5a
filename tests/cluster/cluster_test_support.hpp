// Test support for cluster/ against a real etcd: an io_context on its own threads, a
// fixture with a fresh etcd per test, and waiting for a condition with a deadline.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include "cluster/etcd_client.hpp"
#include "integration/etcd_server.hpp"

namespace autoglm::cluster::testing {

// Runs an io_context on two threads (as serve does: loops must be strand-safe) until
// halt(). Call halt() before destroying what its loops use.
class IoThreads {
 public:
  IoThreads() : guard_(io_.get_executor()) {
    for (auto& t : threads_) t = std::thread([this] { io_.run(); });
  }
  ~IoThreads() { halt(); }
  void halt() {
    guard_.reset();
    io_.stop();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }
  // Runs one coroutine to completion and returns its result.
  template <typename T>
  T run(boost::asio::awaitable<T> work) {
    std::promise<T> result;
    boost::asio::co_spawn(io_, deliver(std::move(work), &result), boost::asio::detached);
    return result.get_future().get();
  }

 private:
  // asio's use_future needs a default-constructible T, which Result<T> is not.
  template <typename T>
  static boost::asio::awaitable<void> deliver(boost::asio::awaitable<T> work,
                                              std::promise<T>* out) {
    out->set_value(co_await std::move(work));
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread threads_[2];
};

// Polls `condition` every 10 ms; returns how long it took, or nullopt at the deadline.
inline std::optional<std::chrono::milliseconds> wait_for(const std::function<bool()>& condition,
                                                         std::chrono::milliseconds timeout) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < timeout) {
    if (condition()) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

// A fresh etcd (members_ members, set in the constructor), I/O threads and a client on
// it for each test; skipped without /usr/bin/etcd. TearDown halts the I/O threads
// before members are destroyed, so loops never outlive what they use.
class EtcdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AUTOGLM_REQUIRE_ETCD();
    etcd_ = std::make_unique<autoglm::testing::EtcdCluster>(members_);
    client_ = std::make_unique<EtcdClient>(client_options());
  }
  void TearDown() override { io_.halt(); }
  EtcdOptions client_options() const {
    return EtcdOptions{etcd_->endpoints(), std::chrono::milliseconds(500)};
  }

  int members_ = 1;
  std::unique_ptr<autoglm::testing::EtcdCluster> etcd_;
  IoThreads io_;
  std::unique_ptr<EtcdClient> client_;
};

}  // namespace autoglm::cluster::testing
