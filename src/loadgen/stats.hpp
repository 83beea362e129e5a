// Latency statistics for the load generator: order statistics (mean, percentiles) of a
// set of samples and the per-run summary built from per-request results. Pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace autoglm::loadgen {

struct Distribution {
  std::size_t count = 0;
  double mean = 0;
  double min = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
};

// The q-quantile (0 <= q <= 1) of `sorted` (ascending), interpolated linearly between the
// two nearest ranks (NumPy's default). 0 for an empty vector.
double quantile(const std::vector<double>& sorted, double q);

// All zero for an empty input.
Distribution describe(std::vector<double> samples);

// What happened to one request. Times are milliseconds from the request's send.
struct RequestResult {
  double scheduled_s = 0;   // planned send time, from the run's start
  double start_lag_ms = 0;  // actual send minus planned send (the generator's lateness)
  double finished_s = 0;    // from the run's start
  bool warmup = false;      // sent, but left out of the statistics
  bool ok = false;
  std::string error;    // empty when ok: "connect", "timeout", "http_503", ...
  unsigned status = 0;  // HTTP status, 0 when there was none
  double ttft_ms = -1;  // to the first token; -1 when none arrived (or not streamed)
  double e2e_ms = -1;   // to the last byte; -1 when the request failed
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;  // the server's usage count, else the token events seen
};

struct RunSummary {
  std::size_t sent = 0;           // every request, warm-up included
  std::size_t measured = 0;       // not warm-up
  std::size_t succeeded = 0;      // measured and ok
  double success_rate = 0;        // succeeded / measured
  double duration_s = 0;          // first measured send to last measured finish
  double request_throughput = 0;  // succeeded per second of duration_s
  double output_token_throughput = 0;
  Distribution ttft_ms;       // successful streamed requests
  Distribution tpot_ms;       // (e2e - ttft) / (output_tokens - 1), output_tokens > 1
  Distribution e2e_ms;        // successful requests
  Distribution start_lag_ms;  // every measured request
  std::map<std::string, std::size_t> errors;  // error kind -> measured requests
};

RunSummary summarize(const std::vector<RequestResult>& results);

}  // namespace autoglm::loadgen
