#include "sim/workload_export.hpp"

#include <fmt/format.h>

namespace autoglm::sim {

std::string requests_csv(const Workload& workload) {
  std::string out = "arrival_ms,input_tokens,output_tokens,max_output_tokens,priority\n";
  for (const Request& r : workload.requests) {
    out +=
        fmt::format("{:.3f},{},{},{},{}\n", core::to_ms(r.arrival), r.input_tokens, r.output_tokens,
                    r.max_output_tokens, core::priority_class_name(r.priority_class));
  }
  return out;
}

}  // namespace autoglm::sim
