// The gateway's metric registry: families are declared once at start-up and rendered
// together as the Prometheus text format 0.0.4 on GET /metrics. Thread-safe: declare
// from any thread (usually once at start), update series from any thread, render often.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/family.hpp"

namespace autoglm::metrics {

// The Content-Type of render()'s output.
inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

class Registry {
 public:
  // Each throws std::invalid_argument for an invalid or already registered name, or
  // invalid label names (start-up errors). References live as long as the registry.
  Family<Counter>& counter(std::string name, std::string help,
                           std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(std::string name, std::string help,
                       std::vector<std::string> label_names = {});
  // `buckets`: strictly increasing finite upper bounds; "le" may not be a label name.
  Family<Histogram>& histogram(std::string name, std::string help,
                               std::vector<std::string> label_names,
                               std::vector<double> buckets = default_buckets());
  // Values computed at render time; `type` is "gauge" or "counter".
  void callback(std::string name, std::string help, std::string type,
                std::vector<std::string> label_names, CallbackFamily::Collect collect);

  // Every family in declaration order.
  std::string render() const;

 private:
  void check(const std::string& name, const std::vector<std::string>& label_names) const;
  template <typename F>
  F& add(std::unique_ptr<F> family);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
};

}  // namespace autoglm::metrics
