// Hostile input over raw sockets: request smuggling (duplicate or conflicting
// Content-Length and Transfer-Encoding), slowloris, deep JSON, huge strings and invalid
// UTF-8. Each is refused with the right status while another connection keeps working.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <thread>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr const char* kModel = "autoglm-sim-8b";

// Sends `raw` on a fresh connection and returns everything read until the server closes
// it or `wait` passes.
std::string exchange_raw(std::uint16_t port, const std::string& raw,
                         std::chrono::milliseconds wait = 3s) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(raw));
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  socket.non_blocking(true);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(buf), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(10ms);
      continue;
    }
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string post(const std::string& headers, const std::string& body) {
  return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
         headers + "\r\n" + body;
}

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto path = dir_.write(
        "gateway.yaml",
        "server: {port: 0, host: 127.0.0.1, max-body-bytes: 64KiB, max-header-bytes: 4KiB,"
        " header-timeout: 500ms, idle-timeout: 2s, drain-pause: 0s}\n"
        "database: {url: 'sqlite://" + (dir_.path() / "autoglm.db").string() + "'}\n"
        "cluster:\n  simulated:\n    enabled: true\n    speedup: 50\n"
        "    nodes: [{profile: h100-80gb-8b, count: 1}]\n");
    gateway_ = start_autoglm(dir_, "gateway", {"serve", "-c", path.string()});
  }
  // Another client, on its own connection, is served normally.
  void expect_others_unaffected() {
    auto res = http_post(gateway_.port, "/v1/chat/completions", chat_body(kModel, 2, false));
    EXPECT_EQ(res.status, 200) << res.error << res.body;
  }
  TempDir dir_;
  Started gateway_;
};

TEST_F(HostileInputTest, DuplicateConflictingContentLengthIs400) {
  const std::string body = chat_body(kModel, 2, false);
  auto out = exchange_raw(gateway_.port, post("Content-Length: " + std::to_string(body.size()) +
                                                  "\r\nContent-Length: 5\r\n",
                                              body));
  EXPECT_EQ(status_of(out), 400) << out;
  expect_others_unaffected();
}

TEST_F(HostileInputTest, ContentLengthWithTransferEncodingIs400) {
  const std::string chunked = "5\r\nhello\r\n0\r\n\r\n";
  auto out = exchange_raw(
      gateway_.port,
      post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", chunked + "GET /healthz HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(status_of(out), 400) << out;
  EXPECT_EQ(out.find("HTTP/1.1 200"), std::string::npos) << "no smuggled second request";
  expect_others_unaffected();
}

TEST_F(HostileInputTest, UnknownOrRepeatedTransferEncodingIs400) {
  auto out = exchange_raw(gateway_.port,
                          post("Transfer-Encoding: gzip, chunked\r\nTransfer-Encoding: chunked\r\n",
                               "0\r\n\r\n"));
  EXPECT_EQ(status_of(out), 400) << out;
  out = exchange_raw(gateway_.port, post("Transfer-Encoding: identity\r\n", "{}"));
  EXPECT_EQ(status_of(out), 400) << out;
  expect_others_unaffected();
}

TEST_F(HostileInputTest, SlowlorisIsCutWhileOthersAreServed) {
  asio::io_context io;
  asio::ip::tcp::socket slow(io);
  slow.connect({asio::ip::make_address("127.0.0.1"), gateway_.port});
  asio::write(slow, asio::buffer(std::string("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")));
  const auto start = std::chrono::steady_clock::now();
  // Trickle a header byte every 100 ms: the header timeout is for the whole header.
  boost::system::error_code ec;
  for (int i = 0; i < 30 && !ec; ++i) {
    expect_others_unaffected();
    asio::write(slow, asio::buffer(std::string("X")), ec);
    std::this_thread::sleep_for(100ms);
  }
  char byte;
  asio::read(slow, asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec) << "the slow connection is closed";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST_F(HostileInputTest, DeepJsonIs400) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  auto res = http_post(gateway_.port, "/v1/chat/completions", deep);
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_NE(res.body.find("nests deeper"), std::string::npos) << res.body;
  expect_others_unaffected();
}

TEST_F(HostileInputTest, BodyOverTheLimitIs413) {
  const std::string huge = std::string(R"({"model":")") + kModel +
                           R"(","messages":[{"role":"user","content":")" +
                           std::string(100 * 1024, 'a') + R"("}]})";
  auto res = http_post(gateway_.port, "/v1/chat/completions", huge);
  EXPECT_EQ(res.status, 413) << res.body;
  expect_others_unaffected();
}

TEST_F(HostileInputTest, InvalidUtf8Is400) {
  const std::string bad = std::string(R"({"model":")") + kModel +
                          R"(","messages":[{"role":"user","content":"bad )" + "\xC3\x28" +
                          R"("}]})";
  auto res = http_post(gateway_.port, "/v1/chat/completions", bad);
  EXPECT_EQ(res.status, 400) << res.body;
  const std::string overlong = std::string(R"({"model":")") + kModel +
                               R"(","messages":[{"role":"user","content":")" + "\xC0\xAF" +
                               R"("}]})";
  EXPECT_EQ(http_post(gateway_.port, "/v1/chat/completions", overlong).status, 400);
  expect_others_unaffected();
}

TEST_F(HostileInputTest, ControlBytesInHeadersAre400) {
  auto out = exchange_raw(gateway_.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n");
  EXPECT_EQ(status_of(out), 400) << out;
  expect_others_unaffected();
}

}  // namespace
}  // namespace autoglm::testing
