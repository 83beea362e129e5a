// Mid-stream failover over real sockets: a node that dies after streaming part of an
// answer, and a route with resume-on-failure, give the client one unbroken stream (the
// first part, then the continuation another node streams). Without it, or when no node
// can continue, the stream still ends with an error event and [DONE].
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>

#include <boost/json.hpp>
#include <cstdio>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "integration/http_client.hpp"
#include "integration/metrics_page.hpp"
#include "integration/process.hpp"
#include "integration/raw_server.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
constexpr const char* kModel = "autoglm-sim-8b";

std::string chat_chunk(const std::string& id, int created, const std::string& delta,
                       const std::string& finish = "null") {
  return "data: {\"id\":\"" + id +
         "\",\"object\":\"chat.completion.chunk\",\"created\":" + std::to_string(created) +
         ",\"model\":\"" + kModel + "\",\"choices\":[{\"index\":0,\"delta\":" + delta +
         ",\"finish_reason\":" + finish + "}]}\n\n";
}

// How a ScriptedNode answers a streamed chat request.
enum class Script {
  kDiesMidway,       // a first request gets two words and the connection drops (EOF before
                     // [DONE]); a continuation (continue_final_message) two more and a clean end
  kAlwaysDies,       // every request gets two words and the connection drops
  kDiesAfterDone,    // the whole answer and [DONE], then the connection drops before the
                     // body's last chunk
  kDiesAfterFinish,  // the whole answer with its finish_reason, then the connection drops
};

// A scripted node that records every request body it receives.
class ScriptedNode : public RawServer {
 public:
  explicit ScriptedNode(Script script = Script::kDiesMidway)
      : RawServer([this](int c) { serve(c); }), script_(script) {}

  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  // The body of a POST, or nullopt for anything else (the gateway's metric scrapes).
  static std::optional<std::string> read_post(int c) {
    std::string in;
    char buf[4096];
    std::size_t head_end = std::string::npos;
    std::size_t length = 0;
    while (head_end == std::string::npos || in.size() < head_end + length) {
      const auto n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      in.append(buf, static_cast<std::size_t>(n));
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        head_end += 4;
        const auto at = in.find("Content-Length: ");
        length = at == std::string::npos ? 0 : std::stoul(in.substr(at + 16));
      }
    }
    if (!in.starts_with("POST ")) return std::nullopt;
    return in.substr(head_end);
  }

  static void send_chunks(int c, const std::vector<std::string>& events, bool end) {
    std::string out =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    for (const auto& e : events) {
      char size[16];
      std::snprintf(size, sizeof size, "%zx", e.size());
      out += std::string(size) + "\r\n" + e + "\r\n";
    }
    if (end) out += "0\r\n\r\n";
    ::send(c, out.data(), out.size(), MSG_NOSIGNAL);
    ::shutdown(c, SHUT_RDWR);  // a node that dies: the stream stops here
  }

  void serve(int c) {
    const auto post = read_post(c);
    if (!post) {
      const std::string none =
          "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      ::send(c, none.data(), none.size(), MSG_NOSIGNAL);
      ::shutdown(c, SHUT_RDWR);
      return;
    }
    const std::string& body = *post;
    {
      std::lock_guard lock(mu_);
      bodies_.push_back(body);
    }
    const bool continuation = body.find("\"continue_final_message\":true") != std::string::npos;
    if (script_ == Script::kDiesAfterDone || script_ == Script::kDiesAfterFinish) {
      std::vector<std::string> events{
          chat_chunk("cmpl-1", 111, R"({"content":"all"})", "\"stop\"")};
      if (script_ == Script::kDiesAfterDone) events.push_back("data: [DONE]\n\n");
      send_chunks(c, events, /*end=*/false);
      return;
    }
    if (!continuation || script_ == Script::kAlwaysDies) {
      send_chunks(c,
                  {chat_chunk("cmpl-1", 111, R"({"role":"assistant","content":""})"),
                   chat_chunk("cmpl-1", 111, R"({"content":"alpha"})"),
                   chat_chunk("cmpl-1", 111, R"({"content":" beta"})")},
                  /*end=*/false);
      return;
    }
    send_chunks(
        c,
        {chat_chunk("cmpl-2", 222, R"({"role":"assistant","content":""})"),
         chat_chunk("cmpl-2", 222, R"({"content":" gamma"})"),
         chat_chunk("cmpl-2", 222, R"({"content":" delta"})", "\"length\""), "data: [DONE]\n\n"},
        /*end=*/true);
  }

  Script script_;
  std::mutex mu_;
  std::vector<std::string> bodies_;
};

std::string node_entry(const std::string& id, std::uint16_t port) {
  return "  - id: " + id + "\n    url: http://127.0.0.1:" + std::to_string(port) +
         "\n    models: [" + kModel + "]\n";
}

// `routes`: the upstream.routes body. Health checks off: only requests find the failures.
Started start_gateway(const TempDir& dir, const std::string& routes, const std::string& nodes) {
  auto path =
      dir.write("gateway.yaml",
                "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n"
                "upstream:\n  connect-timeout: 500ms\n  failure-backoff: 1h\n  idle-timeout: 5s\n" +
                    (routes.empty() ? std::string() : "  routes:\n" + routes) +
                    "scheduler:\n  policy: round_robin\n"
                    "monitor:\n  health-check:\n    enabled: false\n"
                    "cluster:\n  simulated:\n    enabled: false\n"
                    "nodes:\n" +
                    nodes);
  return start_autoglm(dir, "gateway", {"serve", "-c", path.string()});
}

constexpr const char* kChatResume = "    /v1/chat/completions:\n      resume-on-failure: true\n";

Started gateway_over(const TempDir& dir, const ScriptedNode& a, const ScriptedNode& b,
                     const std::string& routes = kChatResume) {
  return start_gateway(dir, routes, node_entry("a", a.port()) + node_entry("b", b.port()));
}

HttpResponse stream_chat(std::uint16_t port, int max_tokens) {
  return http_request(port, "POST", "/v1/chat/completions", chat_body(kModel, max_tokens, true),
                      {{"content-type", "application/json"}}, 20s);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The data events of an SSE body, [DONE] excluded.
std::vector<json::object> events_of(const std::string& body) {
  std::vector<json::object> out;
  for (std::size_t at = body.find("data: {"); at != std::string::npos;
       at = body.find("data: {", at + 1)) {
    out.push_back(json::parse(body.substr(at + 6, body.find('\n', at) - at - 6)).as_object());
  }
  return out;
}

std::string chat_text(const std::vector<json::object>& events) {
  std::string text;
  for (const auto& e : events) {
    const auto& delta = e.at("choices").as_array()[0].at("delta").as_object();
    if (const auto* c = delta.if_contains("content"); c && c->is_string()) text += c->as_string();
  }
  return text;
}

std::string metrics_of(std::uint16_t port) { return http_get(port, "/metrics").body; }

// The gateway counts a resume when the node's part is done, which may be just after the
// client read the end of the stream.
bool resumes_counted(std::uint16_t port, const std::string& outcome) {
  return eventually(
      [&] {
        return metric_sum(metrics_of(port), "autoglm_stream_resumes_total",
                          "outcome=\"" + outcome + "\"") == 1.0;
      },
      2s);
}

double generated_tokens(std::uint16_t simnode) {
  return metric_sum(metrics_of(simnode), "vllm:generation_tokens_total").value_or(0);
}

TEST(StreamResume, ABrokenChatStreamContinuesOnAnotherNodeAsOneStream) {
  TempDir dir;
  ScriptedNode a, b;
  Started gw = gateway_over(dir, a, b);
  const auto r = stream_chat(gw.port, 10);
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body.find("\"error\""), std::string::npos) << r.body;
  EXPECT_EQ(count(r.body, "data: [DONE]"), 1u) << r.body;
  EXPECT_EQ(r.body.substr(r.body.size() - 14), "data: [DONE]\n\n");
  EXPECT_EQ(count(r.body, ": autoglm-resumed 1 node="), 1u) << r.body;

  const auto events = events_of(r.body);
  EXPECT_EQ(chat_text(events), "alpha beta gamma delta");
  ASSERT_EQ(events.size(), 5u) << r.body;  // the continuation's role-only opening is dropped
  for (const auto& e : events) {
    EXPECT_EQ(e.at("id").as_string(), "cmpl-1");  // one stream, one id
    EXPECT_EQ(e.at("created").as_int64(), 111);
  }
  EXPECT_EQ(events.back().at("choices").as_array()[0].at("finish_reason").as_string(), "length");

  // The node that resumed was asked to continue the assistant's text, with what is left.
  std::vector<std::string> all = a.bodies();
  for (const auto& body : b.bodies()) all.push_back(body);
  ASSERT_EQ(all.size(), 2u);
  const json::object continuation =
      json::parse(all[0].find("continue_final_message") != std::string::npos ? all[0] : all[1])
          .as_object();
  const auto& messages = continuation.at("messages").as_array();
  EXPECT_EQ(messages.back().at("role").as_string(), "assistant");
  EXPECT_EQ(messages.back().at("content").as_string(), "alpha beta");
  EXPECT_EQ(continuation.at("max_tokens").as_int64(), 8);
  EXPECT_FALSE(continuation.at("add_generation_prompt").as_bool());

  EXPECT_TRUE(resumes_counted(gw.port, "continued")) << metrics_of(gw.port);
}

TEST(StreamResume, OffByDefaultABrokenStreamEndsWithAnErrorEvent) {
  TempDir dir;
  ScriptedNode a, b;
  Started gw = gateway_over(dir, a, b, /*routes=*/"");
  const auto r = stream_chat(gw.port, 10);
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_NE(r.body.find("\"upstream_failure\""), std::string::npos) << r.body;
  EXPECT_EQ(count(r.body, "data: [DONE]"), 1u) << r.body;
  EXPECT_EQ(r.body.find("autoglm-resumed"), std::string::npos) << r.body;
  EXPECT_EQ(a.bodies().size() + b.bodies().size(), 1u);  // nobody was asked to continue
}

TEST(StreamResume, WhenTheContinuationFailsTooTheStreamEndsWithAnErrorEvent) {
  TempDir dir;
  ScriptedNode a(Script::kAlwaysDies), b(Script::kAlwaysDies);
  Started gw = gateway_over(dir, a, b);
  const auto r = stream_chat(gw.port, 10);
  ASSERT_EQ(r.status, 200) << r.error;
  const auto events = events_of(r.body);
  EXPECT_NE(r.body.find("\"upstream_failure\""), std::string::npos) << r.body;
  EXPECT_EQ(count(r.body, "data: [DONE]"), 1u) << r.body;
  // The continuation streamed its two words before dying; a second resume is not allowed.
  EXPECT_EQ(count(r.body, "autoglm-resumed"), 1u) << r.body;
  EXPECT_EQ(a.bodies().size() + b.bodies().size(), 2u);
  EXPECT_TRUE(resumes_counted(gw.port, "failed")) << metrics_of(gw.port);
}

// A node that fails after its last token lost nothing the client needs: no continuation
// (it would add text to a finished answer), one [DONE], no error.
TEST(StreamResume, AStreamThatBrokeAfterItsLastTokenIsNotResumed) {
  for (const Script script : {Script::kDiesAfterDone, Script::kDiesAfterFinish}) {
    TempDir dir;
    ScriptedNode a(script), b(script);
    Started gw = gateway_over(dir, a, b);
    const auto r = stream_chat(gw.port, 10);
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body.find("\"error\""), std::string::npos) << r.body;
    EXPECT_EQ(count(r.body, "data: [DONE]"), 1u) << r.body;
    EXPECT_EQ(r.body.find("autoglm-resumed"), std::string::npos) << r.body;
    EXPECT_EQ(a.bodies().size() + b.bodies().size(), 1u);
  }
}

// Real simulated nodes: the one serving a long stream on `route` is SIGKILLed mid-way;
// the survivor generates the rest, so the client gets exactly max_tokens text events
// (the simnode ignores EOS) in one stream with one id.
void expect_kill_is_survived(const std::string& route, const std::string& body, int tokens) {
  TempDir dir;
  const auto simnode = [&](const std::string& id) {
    return start_autoglm(dir, id,
                         {"simnode", "--port", "0", "--model", kModel, "--profile", "h100-80gb-8b",
                          "--node-id", id, "--speedup", "1"});
  };
  Started a = simnode("a");
  Started b = simnode("b");
  Started gw = start_gateway(dir, "    " + route + ":\n      resume-on-failure: true\n",
                             node_entry("a", a.port) + node_entry("b", b.port));
  auto pending = std::async(std::launch::async, [&] {
    return http_request(gw.port, "POST", route, body, {{"content-type", "application/json"}}, 20s);
  });
  // Kill whichever node is generating once the stream is well under way.
  Started* serving = nullptr;
  ASSERT_TRUE(eventually(
      [&] {
        for (Started* node : {&a, &b}) {
          if (generated_tokens(node->port) >= 20) serving = node;
        }
        return serving != nullptr;
      },
      10s));
  serving->process->signal(SIGKILL);
  const auto r = pending.get();
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body.find("\"error\""), std::string::npos) << r.body.substr(0, 2000);
  EXPECT_EQ(count(r.body, "data: [DONE]"), 1u);
  EXPECT_EQ(count(r.body, ": autoglm-resumed 1 node="), 1u);
  const auto events = events_of(r.body);
  int text_events = 0;
  for (const auto& e : events) {
    EXPECT_EQ(e.at("id"), events.front().at("id"));
    const auto& choice = e.at("choices").as_array()[0].as_object();
    const auto* text = choice.if_contains("text");
    if (const auto* delta = choice.if_contains("delta"))
      text = delta->as_object().if_contains("content");
    if (text && !text->as_string().empty()) ++text_events;
  }
  EXPECT_EQ(text_events, tokens);
}

TEST(StreamResume, ASimnodeKilledMidChatStreamIsContinuedByTheSurvivor) {
  expect_kill_is_survived("/v1/chat/completions", chat_body(kModel, 300, true), 300);
}

TEST(StreamResume, ASimnodeKilledMidCompletionStreamIsContinuedByTheSurvivor) {
  expect_kill_is_survived("/v1/completions",
                          std::string(R"({"model":")") + kModel +
                              R"(","prompt":"Once upon a time","max_tokens":300,"stream":true})",
                          300);
}

}  // namespace
}  // namespace autoglm::testing
