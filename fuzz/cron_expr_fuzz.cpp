// libFuzzer target: workflow::CronExpr::parse over arbitrary schedules.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "workflow/cron_expr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace autoglm;
  auto r = workflow::CronExpr::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (r) {
    volatile bool m = r->matches_minute(0) || r->matches_day(1, 0);
    (void)m;
  }
  return 0;
}
