#include "metrics/registry.hpp"

#include <cmath>
#include <set>
#include <stdexcept>

namespace autoglm::metrics {

void Registry::check(const std::string& name, const std::vector<std::string>& labels) const {
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  std::set<std::string> seen;
  for (const auto& l : labels) {
    if (!valid_label_name(l)) {
      throw std::invalid_argument(name + ": invalid label name '" + l + "'");
    }
    if (!seen.insert(l).second) throw std::invalid_argument(name + ": label '" + l + "' twice");
  }
  for (const auto& f : families_) {
    if (f->name() == name) throw std::invalid_argument("metric '" + name + "' registered twice");
  }
}

template <typename F>
F& Registry::add(std::unique_ptr<F> family) {
  F& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

Family<Counter>& Registry::counter(std::string name, std::string help,
                                   std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  check(name, labels);
  return add(std::make_unique<Family<Counter>>(std::move(name), std::move(help), "counter",
                                               std::move(labels)));
}

Family<Gauge>& Registry::gauge(std::string name, std::string help,
                               std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  check(name, labels);
  return add(std::make_unique<Family<Gauge>>(std::move(name), std::move(help), "gauge",
                                             std::move(labels)));
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<std::string> labels,
                                       std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  check(name, labels);
  for (const auto& l : labels) {
    if (l == "le") throw std::invalid_argument(name + ": 'le' is reserved for histogram buckets");
  }
  if (buckets.empty()) throw std::invalid_argument(name + ": a histogram needs buckets");
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (!std::isfinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
      throw std::invalid_argument(name + ": buckets must be finite and strictly increasing");
    }
  }
  return add(std::make_unique<Family<Histogram>>(std::move(name), std::move(help), "histogram",
                                                 std::move(labels), std::move(buckets)));
}

void Registry::callback(std::string name, std::string help, std::string type,
                        std::vector<std::string> labels, CallbackFamily::Collect collect) {
  std::lock_guard lock(mu_);
  check(name, labels);
  if (type != "gauge" && type != "counter") {
    throw std::invalid_argument(name + ": a callback family is a gauge or a counter");
  }
  add(std::make_unique<CallbackFamily>(std::move(name), std::move(help), std::move(type),
                                       std::move(labels), std::move(collect)));
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& f : families_) f->render(out);
  return out;
}

}  // namespace autoglm::metrics
