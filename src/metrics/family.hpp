// A metric family: one name, help text and type, with one series per label-value set.
// A series is created under the family's lock the first time its labels are asked for;
// after that, finding it is one hash of the label values, and updates go straight to its
// atomics. Keep the returned reference on hot paths. Thread-safe: with(), remove() and
// render() may be called from any thread; a reference stays valid until remove() of its
// labels.
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "metrics/instruments.hpp"
#include "metrics/text_format.hpp"

namespace autoglm::metrics {

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::string type,
             std::vector<std::string> label_names)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(std::move(type)),
        label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Appends "# HELP", "# TYPE" and every series.
  void render(std::string& out) const {
    out += "# HELP " + name_ + " " + escape_help(help_) + "\n";
    out += "# TYPE " + name_ + " " + type_ + "\n";
    render_series(out);
  }

 protected:
  virtual void render_series(std::string& out) const = 0;

  std::string name_;
  std::string help_;
  std::string type_;
  std::vector<std::string> label_names_;
};

template <typename T>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, std::string type, std::vector<std::string> labels,
         std::vector<double> bounds = {})
      : FamilyBase(std::move(name), std::move(help), std::move(type), std::move(labels)),
        bounds_(std::move(bounds)) {}

  // The series with these label values, in the order of the family's label names.
  // Throws std::invalid_argument for the wrong number of values (a programming error).
  // Allocation-free when the series exists (every request records a few: no key is built).
  T& with(std::span<const std::string_view> values) {
    if (values.size() != label_names_.size()) {
      throw std::invalid_argument(name_ + ": expected " + std::to_string(label_names_.size()) +
                                  " label values, got " + std::to_string(values.size()));
    }
    std::lock_guard lock(mu_);
    auto it = series_.find(values);
    if (it == series_.end()) {
      it = series_.emplace(std::vector<std::string>(values.begin(), values.end()), make_series())
               .first;
    }
    return *it->second;
  }
  T& with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  T& with(const std::vector<std::string>& values) {
    std::vector<std::string_view> views(values.begin(), values.end());
    return with(std::span<const std::string_view>(views));
  }

  // Drops a series (a node that left). References to it become dangling.
  void remove(const std::vector<std::string>& values) {
    std::lock_guard lock(mu_);
    series_.erase(values);
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    return series_.size();
  }

 private:
  std::unique_ptr<T> make_series() const {
    if constexpr (std::is_same_v<T, Histogram>)
      return std::make_unique<Histogram>(bounds_);
    else
      return std::make_unique<T>();
  }

  void render_series(std::string& out) const override {
    std::lock_guard lock(mu_);
    // In the order of the label values, so that a scrape reads the same every time.
    std::vector<const typename Index::value_type*> sorted;
    sorted.reserve(series_.size());
    for (const auto& entry : series_) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const auto* entry : sorted) {
      const auto& [values, series] = *entry;
      if constexpr (std::is_same_v<T, Histogram>) {
        render_histogram(out, values, *series);
      } else {
        out += name_;
        append_labels(out, label_names_, values);
        out += " " + format_value(series->value()) + "\n";
      }
    }
  }

  void render_histogram(std::string& out, const std::vector<std::string>& values,
                        const Histogram& h) const {
    auto snap = h.snapshot();
    for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
      double bound = i < bounds_.size() ? bounds_[i] : std::numeric_limits<double>::infinity();
      std::pair<std::string_view, std::string> le{"le", format_value(bound)};
      out += name_ + "_bucket";
      append_labels(out, label_names_, values, &le);
      out += " " + std::to_string(snap.cumulative[i]) + "\n";
    }
    out += name_ + "_sum";
    append_labels(out, label_names_, values);
    out += " " + format_value(snap.sum) + "\n";
    out += name_ + "_count";
    append_labels(out, label_names_, values);
    out += " " + std::to_string(snap.count) + "\n";
  }

  // Label values hashed and compared as string views, so a lookup needs no std::string.
  struct ValuesHash {
    using is_transparent = void;
    template <typename Values>
    std::size_t operator()(const Values& values) const {
      std::size_t h = values.size();
      for (std::string_view v : values) h = h * 1099511628211u ^ std::hash<std::string_view>{}(v);
      return h;
    }
  };
  struct ValuesEqual {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                        [](std::string_view x, std::string_view y) { return x == y; });
    }
  };
  using Index =
      std::unordered_map<std::vector<std::string>, std::unique_ptr<T>, ValuesHash, ValuesEqual>;

  mutable std::mutex mu_;
  Index series_;
  std::vector<double> bounds_;  // histograms only
};

// A family whose values are read when /metrics is rendered (queue depth, node states,
// heartbeat ages): `collect` runs on the rendering thread and must be thread-safe.
class CallbackFamily final : public FamilyBase {
 public:
  using Series = std::vector<std::pair<std::vector<std::string>, double>>;
  using Collect = std::function<Series()>;

  CallbackFamily(std::string name, std::string help, std::string type,
                 std::vector<std::string> labels, Collect collect)
      : FamilyBase(std::move(name), std::move(help), std::move(type), std::move(labels)),
        collect_(std::move(collect)) {}

 private:
  void render_series(std::string& out) const override {
    for (const auto& [values, value] : collect_()) {
      if (values.size() != label_names_.size()) continue;  // a collector bug: skip, not crash
      out += name_;
      append_labels(out, label_names_, values);
      out += " " + format_value(value) + "\n";
    }
  }

  Collect collect_;
};

}  // namespace autoglm::metrics
