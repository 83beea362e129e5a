// The clock the WorkflowEngine needs in production: wall-clock time (nanoseconds since the
// Unix epoch), because the store keeps times across restarts. Stateless; thread-safe.
#pragma once

#include <chrono>

#include "core/clock.hpp"

namespace autoglm::workflow {

class WallClock final : public core::Clock {
 public:
  core::Time now() const override {
    return std::chrono::duration_cast<core::Time>(
        std::chrono::system_clock::now().time_since_epoch());
  }
};

}  // namespace autoglm::workflow
