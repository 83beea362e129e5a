// Callback URLs of async tasks: once a task reaches a final state the gateway POSTs it
// (the same JSON as GET /v1/tasks/{id}) to the URL its submitter gave, retrying a few
// times with backoff. Delivery is at least once while the gateway runs; a callback still
// being retried when the process stops is not resent (GET /v1/tasks/{id} stays the record).
#pragma once

#include <chrono>
#include <functional>

#include "store/records.hpp"

namespace autoglm::api {

struct CallbackOptions {
  int attempts = 3;                                      // tries before giving up
  std::chrono::milliseconds backoff{1000};               // before the 2nd try; doubles after
  std::chrono::milliseconds timeout{5000};               // per try
  std::function<void(std::chrono::milliseconds)> sleep;  // tests pass a fake; default sleeps
};

// Blocks until delivered or out of attempts (call it from a worker thread). A 2xx answer
// is delivered; any other answer or a transport error is retried. Returns whether it was
// delivered. Tasks without a callback_url return true at once.
bool deliver_callback(const store::TaskRecord& task, const CallbackOptions& options = {});

}  // namespace autoglm::api
