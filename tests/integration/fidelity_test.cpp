// Fidelity of the digital twin: scenarios/fidelity-small.yaml run in the simulator and live
// (the gateway and one simnode process per node, the same request list replayed in real
// time with streaming chat completions); mean end-to-end time and success rate agree.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kModel = "autoglm-sim-8b";
constexpr double kTolerance = 0.10;
const std::string kScenario = std::string(AUTOGLM_SOURCE_DIR) + "/scenarios/fidelity-small.yaml";

struct Replayed {
  double arrival_ms = 0;
  std::int64_t input_tokens = 0, output_tokens = 0;
};

std::vector<Replayed> read_requests(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header: arrival_ms,input_tokens,output_tokens,...
  std::vector<Replayed> out;
  while (std::getline(in, line)) {
    Replayed r;
    char comma = 0;
    std::istringstream row(line);
    row >> r.arrival_ms >> comma >> r.input_tokens >> comma >> r.output_tokens;
    if (row) out.push_back(r);
  }
  return out;
}

// A user message the simnode (and the gateway's parser) count as `tokens` prompt tokens:
// short ASCII words are one token each, a chat adds 3 per message and 3 for the reply.
std::string chat_request(const Replayed& r) {
  std::string text = "word";
  for (std::int64_t i = 1; i < std::max<std::int64_t>(1, r.input_tokens - 6); ++i) text += " word";
  json::object body{{"model", kModel},
                    {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}},
                    {"max_tokens", r.output_tokens},
                    {"stream", true},
                    {"stream_options", json::object{{"include_usage", true}}}};
  return json::serialize(body);
}

struct LiveResult {
  std::vector<double> e2e_ms;  // successful requests
  int succeeded = 0;
  int usage_checked = 0, usage_mismatched = 0;  // prompt/completion tokens seen by the node
};

// The usage chunk's counts, when the stream carried one.
bool usage_matches(const std::string& body, const Replayed& r, bool& present) {
  const auto at = body.rfind("\"usage\"");
  present = at != std::string::npos;
  if (!present) return true;
  const auto start = body.rfind("data: ", at);
  const auto end = body.find('\n', at);
  boost::system::error_code ec;
  const json::value v = json::parse(body.substr(start + 6, end - start - 6), ec);
  if (ec || !v.is_object() || !v.at("usage").is_object()) return false;
  const auto& u = v.at("usage").as_object();
  return u.at("prompt_tokens").to_number<std::int64_t>() == r.input_tokens &&
         u.at("completion_tokens").to_number<std::int64_t>() == r.output_tokens;
}

LiveResult replay(std::uint16_t port, const std::vector<Replayed>& requests, double timeout_s) {
  LiveResult out;
  std::vector<double> e2e(requests.size(), -1);
  std::vector<int> usage(requests.size(), 0);  // 0 absent, 1 matches, 2 differs
  const auto t0 = Clock::now() + std::chrono::milliseconds(200);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    clients.emplace_back([&, i] {
      const Replayed& r = requests[i];
      const std::string body = chat_request(r);
      std::this_thread::sleep_until(
          t0 + std::chrono::microseconds(static_cast<std::int64_t>(r.arrival_ms * 1000)));
      const auto start = Clock::now();
      const HttpResponse res = http_request(
          port, "POST", "/v1/chat/completions", body, {{"content-type", "application/json"}},
          std::chrono::milliseconds(static_cast<int>(timeout_s * 1000)));
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (res.status != 200 || res.body.find("data: [DONE]") == std::string::npos) return;
      bool present = false;
      usage[i] = usage_matches(res.body, r, present) ? (present ? 1 : 0) : 2;
      if (ms <= timeout_s * 1000) e2e[i] = ms;
    });
  }
  for (auto& t : clients) t.join();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (e2e[i] >= 0) {
      out.e2e_ms.push_back(e2e[i]);
      ++out.succeeded;
    }
    out.usage_checked += usage[i] != 0;
    out.usage_mismatched += usage[i] == 2;
  }
  return out;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / double(v.size());
}

class FidelityTest : public ::testing::TestWithParam<std::string> {
 protected:
  Started simnode(const std::string& name, const std::string& profile) {
    return start_autoglm(dir_, name,
                         {"simnode", "--port", "0", "--profile", profile, "--node-id", name,
                          "--model", kModel, "--log-level", "warn"});
  }

  Started gateway(const std::string& policy, std::uint16_t fast, std::uint16_t slow) {
    const std::string config =
        "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n"
        "logging:\n  level: warn\n"
        "scheduler:\n  policy: " +
        policy +
        "\n"
        "cluster:\n  simulated:\n    enabled: false\n"
        "nodes:\n"
        "  - {id: fast-0, url: 'http://127.0.0.1:" +
        std::to_string(fast) + "', models: [" + kModel +
        "], labels: {profile: h100-80gb-8b}}\n"
        "  - {id: slow-0, url: 'http://127.0.0.1:" +
        std::to_string(slow) + "', models: [" + kModel + "], labels: {profile: l40s-48gb-8b}}\n";
    return start_autoglm(dir_, "gateway", {"serve", "-c", dir_.write("gw.yaml", config).string()});
  }

  TempDir dir_;
};

TEST_P(FidelityTest, SimulatedAndLiveRunsAgreeOnMeanLatencyAndSuccess) {
  const std::string policy = GetParam();
  const auto report = dir_.path() / "sim.json";
  const auto requests_csv = dir_.path() / "requests.csv";
  std::string output;
  ASSERT_EQ(
      run_autoglm({"simulate", "--scenario", kScenario, "--policies", policy, "--format", "json",
                   "--out", report.string(), "--dump-requests", requests_csv.string(), "--quiet"},
                  output),
      0)
      << output;
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  const json::object sim = json::parse(text.str()).at("policies").at(policy).as_object();
  const double sim_mean = sim.at("mean_e2e_ms").to_number<double>();
  const double sim_success = sim.at("success_rate").to_number<double>();
  const std::vector<Replayed> requests = read_requests(requests_csv);
  ASSERT_GE(requests.size(), 60u);

  Started fast = simnode("fast-0", "h100-80gb-8b");
  Started slow = simnode("slow-0", "l40s-48gb-8b");
  ASSERT_NE(fast.port, 0);
  ASSERT_NE(slow.port, 0);
  Started gw = gateway(policy, fast.port, slow.port);
  ASSERT_NE(gw.port, 0) << gw.process->log();

  const LiveResult live = replay(gw.port, requests, 60);
  const double live_mean = mean(live.e2e_ms);
  const double live_success = double(live.succeeded) / double(requests.size());
  RecordProperty("sim_mean_e2e_ms", std::to_string(sim_mean));
  RecordProperty("live_mean_e2e_ms", std::to_string(live_mean));
  std::cout << "[fidelity] " << policy << ": " << requests.size() << " requests; mean e2e sim "
            << sim_mean << " ms, live " << live_mean << " ms ("
            << 100 * (live_mean - sim_mean) / sim_mean << "%); success sim " << sim_success
            << ", live " << live_success << "; usage checked " << live.usage_checked
            << ", mismatched " << live.usage_mismatched << "\n";

  EXPECT_EQ(live.usage_mismatched, 0) << "the simnode must see the simulator's token counts";
  EXPECT_NEAR(live_success, sim_success, kTolerance * sim_success);
  EXPECT_NEAR(live_mean, sim_mean, kTolerance * sim_mean);

  for (Started* s : {&gw, &fast, &slow}) {
    s->process->signal(SIGTERM);
    EXPECT_GE(s->process->wait(std::chrono::seconds(10)), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, FidelityTest, ::testing::Values("round_robin", "dynamic"));

}  // namespace
}  // namespace autoglm::testing
