// The HTTP face of a rate decision: OpenAI's x-ratelimit-* response headers and the
// Retry-After of a 429. Pure functions.
// Header names follow OpenAI: x-ratelimit-{limit,remaining,reset}-{requests,tokens}.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "limits/rate_limiter.hpp"

namespace autoglm::limits {

// A duration the way OpenAI writes x-ratelimit-reset-*: "0s", "20ms", "1.5s", "6m0s",
// "1h2m3s" (whole milliseconds below one second, seconds with up to 3 decimals below a
// minute, then minutes and whole seconds).
std::string format_reset(core::Duration d);

// Retry-After in whole seconds, rounded up, at least 1.
std::string retry_after_seconds(core::Duration d);

// The headers to add to a response for this decision, in a fixed order: the -requests
// and -tokens triples present in the decision, and Retry-After when it was denied.
std::vector<std::pair<std::string, std::string>> rate_limit_headers(const RateDecision& d);

}  // namespace autoglm::limits
