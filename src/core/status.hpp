// Status and Result<T>: how every expected failure travels in Open-AutoGLM.
// Errors are values; exceptions are kept for programmer errors and start-up failures.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace autoglm::core {

// What kind of failure happened. One mapping to HTTP status and OpenAI error bodies lives
// in api/errors; everything below the API speaks only in these codes.
enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,    // the request or config is malformed (400)
  kNotFound,           // unknown model, task, route (404)
  kUnavailable,        // no healthy node, draining, shed (503)
  kUpstreamFailure,    // a node failed while serving (502)
  kTimeout,            // a deadline passed (504)
  kResourceExhausted,  // queue full, rate limited (429)
  kPayloadTooLarge,    // body or header over a configured limit (413)
  kConflict,           // the request contradicts what exists (409)
  kUnauthenticated,    // no API key, or one that is unknown or revoked (401)
  kPermissionDenied,   // a valid key that may not do this, e.g. admin routes (403)
  kInternal,           // a bug (500)
};

std::string_view error_code_name(ErrorCode code);

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string param = {})
      : code_(code), message_(std::move(message)), param_(std::move(param)) {}

  static Status ok() { return {}; }

  bool is_ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  ErrorCode code() const { return code_; }
  // A sentence for a person: what was wrong and, where it helps, what to do.
  const std::string& message() const { return message_; }
  // The offending field or parameter, when there is one (OpenAI's `param`).
  const std::string& param() const { return param_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string param_;
};

inline Status invalid_argument(std::string message, std::string param = {}) {
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(param)};
}
inline Status not_found(std::string message, std::string param = {}) {
  return {ErrorCode::kNotFound, std::move(message), std::move(param)};
}
inline Status unavailable(std::string message) {
  return {ErrorCode::kUnavailable, std::move(message)};
}

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).is_ok() && "a Result built from a Status must carry an error");
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  // REQUIRES: is_ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !is_ok()
  const Status& status() const { return std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace autoglm::core
