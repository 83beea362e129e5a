// Task callbacks: the finished task is POSTed to its callback_url; a failing receiver is
// retried with backoff and given up on after the last attempt. The receiver is a real
// socket on loopback answering with scripted statuses.
#include "api/task_callback.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace autoglm::api {
namespace {

// Accepts one request per connection and answers with the next scripted status.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 8);
    thread_ = std::thread([this] { serve(); });
  }
  ~Receiver() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void serve() {
    for (std::size_t i = 0; i < statuses_.size(); ++i) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      // Headers, then as many body bytes as Content-Length says.
      for (;;) {
        const auto n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<std::size_t>(n));
        const auto end = req.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        const auto cl = req.find("content-length: ");
        const auto cl2 = cl == std::string::npos ? req.find("Content-Length: ") : cl;
        const std::size_t want = cl2 == std::string::npos ? 0 : std::stoul(req.substr(cl2 + 16));
        if (req.size() >= end + 4 + want) break;
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(req);
      }
      const std::string res = "HTTP/1.1 " + std::to_string(statuses_[i]) +
                              " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      ::send(c, res.data(), res.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  std::vector<int> statuses_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

store::TaskRecord finished_task(std::string url) {
  store::TaskRecord t;
  t.id = 42;
  t.state = store::TaskState::kSucceeded;
  t.input.model = "m";
  t.input.callback_url = std::move(url);
  t.result = R"({"choices": []})";
  return t;
}

TEST(TaskCallback, PostsTheFinishedTaskAsJson) {
  Receiver rx({200});
  EXPECT_TRUE(deliver_callback(finished_task(rx.url())));
  auto reqs = rx.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_TRUE(reqs[0].starts_with("POST /hook HTTP/1.1")) << reqs[0];
  EXPECT_NE(reqs[0].find("x-autoglm-task-id: 42"), std::string::npos) << reqs[0];
  EXPECT_NE(reqs[0].find(R"("state":"succeeded")"), std::string::npos) << reqs[0];
  EXPECT_NE(reqs[0].find(R"("id":"42")"), std::string::npos) << reqs[0];
}

TEST(TaskCallback, RetriesWithDoublingBackoffUntilA2xx) {
  Receiver rx({503, 500, 204});
  std::vector<std::chrono::milliseconds> slept;
  CallbackOptions opts;
  opts.attempts = 3;
  opts.backoff = std::chrono::milliseconds(100);
  opts.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
  EXPECT_TRUE(deliver_callback(finished_task(rx.url()), opts));
  EXPECT_EQ(rx.requests().size(), 3u);
  ASSERT_EQ(slept.size(), 2u);
  EXPECT_EQ(slept[0].count(), 100);
  EXPECT_EQ(slept[1].count(), 200);
}

TEST(TaskCallback, GivesUpAfterTheLastAttempt) {
  Receiver rx({500, 500});
  CallbackOptions opts;
  opts.attempts = 2;
  opts.sleep = [](std::chrono::milliseconds) {};
  EXPECT_FALSE(deliver_callback(finished_task(rx.url()), opts));
  EXPECT_EQ(rx.requests().size(), 2u);
}

TEST(TaskCallback, NoUrlMeansNothingToDeliver) { EXPECT_TRUE(deliver_callback(finished_task(""))); }

}  // namespace
}  // namespace autoglm::api
