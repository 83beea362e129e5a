// Exporting a workload's request list (`autoglm simulate --dump-requests FILE`), so the
// same requests can be replayed against a live gateway (tests/integration/fidelity_test.cpp).
#pragma once

#include <string>

#include "sim/workload.hpp"

namespace autoglm::sim {

// CSV with a header: arrival_ms,input_tokens,output_tokens,max_output_tokens,priority
// (arrival in ms since the run's start, three decimals; priority the class name), one row
// per request in arrival order.
std::string requests_csv(const Workload& workload);

}  // namespace autoglm::sim
