#include "sim/azure_trace.hpp"

#include <fmt/format.h>

namespace autoglm::sim {
namespace {

// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view text, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

bool parse_azure_timestamp(std::string_view text, std::int64_t& seconds, double& fraction) {
  text = trim(text);
  int y, mo, d, h, mi, s;
  if (text.size() < 19 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d) || (text[10] != ' ' && text[10] != 'T') ||
      !digits(text, 11, 2, h) || text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' ||
      !digits(text, 17, 2, s)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  fraction = 0;
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.back() == 'Z') rest.remove_suffix(1);
  if (!rest.empty()) {
    if (rest.front() != '.' || rest.size() < 2) return false;
    double scale = 0.1;
    for (std::size_t i = 1; i < rest.size(); ++i) {
      if (rest[i] < '0' || rest[i] > '9') return false;
      fraction += (rest[i] - '0') * scale;
      scale *= 0.1;
    }
  }
  seconds = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
            h * 3600 + mi * 60 + s;
  return true;
}

core::Result<std::unique_ptr<TraceReader>> AzureTraceReader::open(const std::string& path) {
  auto csv = CsvFile::open(path);
  if (!csv) return csv.status();
  std::unique_ptr<AzureTraceReader> r(new AzureTraceReader(std::move(*csv)));
  auto ts = r->csv_.column("TIMESTAMP");
  if (!ts) return ts.status();
  auto ctx = r->csv_.column("ContextTokens");
  if (!ctx) return ctx.status();
  auto gen = r->csv_.column("GeneratedTokens");
  if (!gen) return gen.status();
  r->timestamp_col_ = *ts;
  r->context_col_ = *ctx;
  r->generated_col_ = *gen;
  return std::unique_ptr<TraceReader>(std::move(r));
}

core::Result<bool> AzureTraceReader::next(TraceRecord& out) {
  if (!csv_.next()) return false;
  auto ts = csv_.field(timestamp_col_, "TIMESTAMP");
  if (!ts) return ts.status();
  auto ctx = csv_.field(context_col_, "ContextTokens");
  if (!ctx) return ctx.status();
  auto gen = csv_.field(generated_col_, "GeneratedTokens");
  if (!gen) return gen.status();

  std::int64_t seconds = 0;
  double fraction = 0;
  if (!parse_azure_timestamp(*ts, seconds, fraction)) {
    return csv_.error(fmt::format("TIMESTAMP: expected 'YYYY-MM-DD HH:MM:SS.fffffff', got '{}'",
                                  trim(*ts)));
  }
  out = TraceRecord{};
  if (!parse_int(*ctx, out.input_tokens) || out.input_tokens < 0) {
    return csv_.error(fmt::format("ContextTokens: expected a non-negative integer, got '{}'",
                                  trim(*ctx)));
  }
  if (!parse_int(*gen, out.output_tokens) || out.output_tokens < 0) {
    return csv_.error(fmt::format("GeneratedTokens: expected a non-negative integer, got '{}'",
                                  trim(*gen)));
  }
  if (!have_origin_) {
    have_origin_ = true;
    origin_seconds_ = seconds;
    origin_fraction_ = fraction;
  }
  out.arrival_s = static_cast<double>(seconds - origin_seconds_) + (fraction - origin_fraction_);
  out.line = csv_.line();
  return true;
}

}  // namespace autoglm::sim
