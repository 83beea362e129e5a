#include "http/deadline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>

namespace autoglm::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// A connected loopback pair: `near` is read under the deadline, `far` writes (or not).
struct SocketPair {
  explicit SocketPair(asio::io_context& io) : near(io), far(io) {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    near.connect(acceptor.local_endpoint());
    far = acceptor.accept();
  }
  tcp::socket near;
  tcp::socket far;
};

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(kNoThrow);
}

asio::awaitable<boost::system::error_code> read_one(tcp::socket& socket) {
  char byte;
  auto [ec, n] = co_await socket.async_read_some(asio::buffer(&byte, 1), kNoThrow);
  co_return ec;
}

// Runs `body` as a coroutine on a fresh io_context until everything it started is done.
void run(const std::function<asio::awaitable<void>(asio::io_context&)>& body) {
  asio::io_context io;
  bool finished = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await body(io);
        finished = true;
      },
      asio::detached);
  io.run();
  EXPECT_TRUE(finished);
}

TEST(Deadline, ReadThatOutlivesItFailsAsTimeout) {
  run([](asio::io_context& io) -> asio::awaitable<void> {
    SocketPair pair(io);
    Deadline deadline(co_await asio::this_coro::executor);
    const auto began = Clock::now();
    boost::system::error_code ec;
    {
      auto armed = deadline.arm(pair.near, 30ms);
      ec = deadline.explain(co_await read_one(pair.near));
    }
    EXPECT_EQ(ec, boost::beast::error::timeout);
    EXPECT_TRUE(deadline.expired());
    EXPECT_GE(Clock::now() - began, 30ms);
    EXPECT_LT(Clock::now() - began, 5s);
    EXPECT_FALSE(pair.near.is_open());
  });
}

TEST(Deadline, ReadThatEndsInTimeIsUntouched) {
  run([](asio::io_context& io) -> asio::awaitable<void> {
    SocketPair pair(io);
    Deadline deadline(co_await asio::this_coro::executor);
    asio::write(pair.far, asio::buffer("x", 1));
    {
      auto armed = deadline.arm(pair.near, 5s);
      EXPECT_FALSE(deadline.explain(co_await read_one(pair.near)));
    }
    EXPECT_FALSE(deadline.expired());
    EXPECT_TRUE(pair.near.is_open());
  });
}

// Outside an armed span, waiting longer than the last timeout closes nothing.
TEST(Deadline, DisarmedDeadlineClosesNothing) {
  run([](asio::io_context& io) -> asio::awaitable<void> {
    SocketPair pair(io);
    Deadline deadline(co_await asio::this_coro::executor);
    { auto armed = deadline.arm(pair.near, 20ms); }
    co_await pause(80ms);  // the timer fires meanwhile and finds nothing armed
    EXPECT_FALSE(deadline.expired());
    EXPECT_TRUE(pair.near.is_open());
    asio::write(pair.far, asio::buffer("x", 1));
    auto armed = deadline.arm(pair.near, 5s);
    EXPECT_FALSE(deadline.explain(co_await read_one(pair.near)));
  });
}

// The timer set for an early deadline fires first and waits again for the later one.
TEST(Deadline, DeadlineMovedLaterIsKept) {
  run([](asio::io_context& io) -> asio::awaitable<void> {
    SocketPair pair(io);
    Deadline deadline(co_await asio::this_coro::executor);
    { auto armed = deadline.arm(pair.near, 20ms); }
    auto armed = deadline.arm(pair.near, 150ms);
    co_await pause(60ms);  // past the first deadline, within the second
    EXPECT_TRUE(pair.near.is_open());
    const auto began = Clock::now();
    EXPECT_EQ(deadline.explain(co_await read_one(pair.near)), boost::beast::error::timeout);
    EXPECT_GE(Clock::now() - began, 60ms);
  });
}

// A deadline earlier than the wait in progress replaces it.
TEST(Deadline, DeadlineMovedEarlierIsKept) {
  run([](asio::io_context& io) -> asio::awaitable<void> {
    SocketPair pair(io);
    Deadline deadline(co_await asio::this_coro::executor);
    { auto armed = deadline.arm(pair.near, 60s); }
    const auto began = Clock::now();
    auto armed = deadline.arm(pair.near, 30ms);
    EXPECT_EQ(deadline.explain(co_await read_one(pair.near)), boost::beast::error::timeout);
    EXPECT_LT(Clock::now() - began, 5s);
  });
}

// Re-arming resets expired(): the next socket starts clean, and other failures stay theirs.
TEST(Deadline, ExplainKeepsOtherFailures) {
  run([](asio::io_context& io) -> asio::awaitable<void> {
    SocketPair first(io);
    SocketPair second(io);
    Deadline deadline(co_await asio::this_coro::executor);
    {
      auto armed = deadline.arm(first.near, 10ms);
      EXPECT_EQ(deadline.explain(co_await read_one(first.near)), boost::beast::error::timeout);
    }
    second.far.close();
    auto armed = deadline.arm(second.near, 5s);
    EXPECT_FALSE(deadline.expired());
    EXPECT_EQ(deadline.explain(co_await read_one(second.near)), asio::error::eof);
  });
}

// A deadline destroyed while its timer waits leaves nothing behind: io.run() returns at once.
TEST(Deadline, DestroyedWhileWaiting) {
  const auto began = Clock::now();
  run([](asio::io_context& io) -> asio::awaitable<void> {
    SocketPair pair(io);
    {
      Deadline deadline(co_await asio::this_coro::executor);
      auto armed = deadline.arm(pair.near, 60s);
    }
    co_return;
  });
  EXPECT_LT(Clock::now() - began, 5s);
}

}  // namespace
}  // namespace autoglm::http
