#include "sim/burstgpt_trace.hpp"

#include <fmt/format.h>

namespace autoglm::sim {

core::Result<std::unique_ptr<TraceReader>> BurstGptTraceReader::open(const std::string& path) {
  auto csv = CsvFile::open(path);
  if (!csv) return csv.status();
  std::unique_ptr<BurstGptTraceReader> r(new BurstGptTraceReader(std::move(*csv)));
  auto ts = r->csv_.column("Timestamp");
  if (!ts) return ts.status();
  auto req = r->csv_.column("Request tokens");
  if (!req) return req.status();
  auto resp = r->csv_.column("Response tokens");
  if (!resp) return resp.status();
  r->timestamp_col_ = *ts;
  r->request_col_ = *req;
  r->response_col_ = *resp;
  if (auto model = r->csv_.column("Model")) r->model_col_ = *model;
  return std::unique_ptr<TraceReader>(std::move(r));
}

core::Result<bool> BurstGptTraceReader::next(TraceRecord& out) {
  if (!csv_.next()) return false;
  auto ts = csv_.field(timestamp_col_, "Timestamp");
  if (!ts) return ts.status();
  auto req = csv_.field(request_col_, "Request tokens");
  if (!req) return req.status();
  auto resp = csv_.field(response_col_, "Response tokens");
  if (!resp) return resp.status();

  double seconds = 0;
  if (!parse_double(*ts, seconds) || seconds < 0) {
    return csv_.error(
        fmt::format("Timestamp: expected seconds (a non-negative number), got '{}'", trim(*ts)));
  }
  out = TraceRecord{};
  if (!parse_int(*req, out.input_tokens) || out.input_tokens < 0) {
    return csv_.error(fmt::format("Request tokens: expected a non-negative integer, got '{}'",
                                  trim(*req)));
  }
  if (!parse_int(*resp, out.output_tokens) || out.output_tokens < 0) {
    return csv_.error(fmt::format("Response tokens: expected a non-negative integer, got '{}'",
                                  trim(*resp)));
  }
  if (model_col_) {
    auto model = csv_.field(*model_col_, "Model");
    if (!model) return model.status();
    out.model = std::string(trim(*model));
  }
  if (!have_origin_) {
    have_origin_ = true;
    origin_s_ = seconds;
  }
  out.arrival_s = seconds - origin_s_;
  out.line = csv_.line();
  return true;
}

}  // namespace autoglm::sim
