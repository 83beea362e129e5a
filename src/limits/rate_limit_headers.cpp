#include "limits/rate_limit_headers.hpp"

#include <chrono>

namespace autoglm::limits {

std::string format_reset(core::Duration d) {
  using namespace std::chrono;
  if (d <= core::Duration::zero()) return "0s";
  // Round up to the millisecond: a reset reported early would invite a refused retry.
  auto ms = duration_cast<milliseconds>(d).count();
  if (duration_cast<core::Duration>(milliseconds(ms)) < d) ++ms;
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60'000) {
    std::string out = std::to_string(ms / 1000);
    if (const auto frac = ms % 1000) {
      std::string digits = std::to_string(1000 + frac).substr(1);  // three digits
      while (digits.back() == '0') digits.pop_back();
      out += "." + digits;
    }
    return out + "s";
  }
  const auto s = (ms + 999) / 1000;
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h";
  out += std::to_string(s % 3600 / 60) + "m" + std::to_string(s % 60) + "s";
  return out;
}

std::string retry_after_seconds(core::Duration d) {
  const auto ns = d.count();
  const auto s = ns <= 0 ? 1 : (ns + 999'999'999) / 1'000'000'000;
  return std::to_string(s < 1 ? 1 : s);
}

std::vector<std::pair<std::string, std::string>> rate_limit_headers(const RateDecision& d) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const char* kind, const LimitState& s) {
    out.emplace_back(std::string("x-ratelimit-limit-") + kind, std::to_string(s.limit));
    out.emplace_back(std::string("x-ratelimit-remaining-") + kind, std::to_string(s.remaining));
    out.emplace_back(std::string("x-ratelimit-reset-") + kind, format_reset(s.reset));
  };
  if (d.requests) add("requests", *d.requests);
  if (d.tokens) add("tokens", *d.tokens);
  if (!d.allowed) out.emplace_back("retry-after", retry_after_seconds(d.retry_after));
  return out;
}

}  // namespace autoglm::limits
