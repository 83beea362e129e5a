#include "loadgen/plan.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace autoglm::loadgen {

namespace {

constexpr std::int64_t kChatOverheadTokens = 6;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void append_words(std::string& out, std::int64_t count, std::uint64_t seed) {
  std::uint64_t state = seed;
  for (std::int64_t i = 0; i < count; ++i) {
    std::uint64_t r = splitmix64(state);
    out.push_back(' ');
    for (int k = 0; k < 4; ++k, r >>= 8) out.push_back(char('a' + (r & 0xff) % 26));
  }
}

}  // namespace

std::vector<PlannedRequest> plan_requests(const sim::Workload& workload,
                                          const PlanOptions& options) {
  std::vector<PlannedRequest> plan;
  const std::size_t limit =
      options.max_requests == 0
          ? workload.requests.size()
          : std::min(workload.requests.size(), options.warmup + options.max_requests);
  plan.reserve(limit);
  std::uint64_t state = options.seed;
  for (std::size_t i = 0; i < limit; ++i) {
    const sim::Request& r = workload.requests[i];
    PlannedRequest p;
    p.send_at_s = options.closed_loop ? 0 : std::chrono::duration<double>(r.arrival).count();
    p.output_tokens = std::max<std::int64_t>(1, r.output_tokens);
    p.input_tokens = std::max<std::int64_t>(1, r.input_tokens);
    if (options.max_input_tokens > 0)
      p.input_tokens = std::min(p.input_tokens, options.max_input_tokens);
    p.prefix_hashes = r.prefix_hashes;
    p.seed = splitmix64(state);
    p.warmup = i < options.warmup;
    plan.push_back(std::move(p));
  }
  return plan;
}

std::string prompt_text(std::int64_t tokens, const std::vector<std::uint64_t>& prefix_hashes,
                        std::uint64_t seed) {
  std::string out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(tokens, 0)) * 5);
  std::int64_t left = tokens;
  for (std::uint64_t hash : prefix_hashes) {
    if (left <= 0) break;
    const std::int64_t n = std::min(left, sim::kPrefixBlockTokens);
    append_words(out, n, hash);
    left -= n;
  }
  if (left > 0) append_words(out, left, seed);
  return out;
}

std::string request_body(const PlannedRequest& request, const BodyOptions& options) {
  namespace json = boost::json;
  json::object body;
  body["model"] = options.model;
  if (options.chat) {
    const std::int64_t content =
        std::max<std::int64_t>(1, request.input_tokens - kChatOverheadTokens);
    json::object message;
    message["role"] = "user";
    message["content"] = prompt_text(content, request.prefix_hashes, request.seed);
    body["messages"] = json::array{std::move(message)};
  } else {
    body["prompt"] = prompt_text(request.input_tokens, request.prefix_hashes, request.seed);
  }
  body["max_tokens"] = request.output_tokens;
  if (options.ignore_eos) body["ignore_eos"] = true;
  body["stream"] = options.stream;
  if (options.stream) body["stream_options"] = json::object{{"include_usage", true}};
  return json::serialize(body);
}

}  // namespace autoglm::loadgen
