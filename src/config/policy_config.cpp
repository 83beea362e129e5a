#include "config/policy_config.hpp"

namespace autoglm::config {
namespace {

PipelineConfig read_pipeline_map(const Field& field) {
  PipelineConfig pipeline;
  static const std::vector<std::string> kKeys{"filters", "scorers", "picker"};
  field.for_each_entry(kKeys, [&](std::string_view key, const Field& value) {
    if (key == "filters") {
      value.for_each_item([&](const Field& item) {
        std::string name;
        if (item.read_nonempty_string(name)) pipeline.filters.push_back(name);
      });
    } else if (key == "scorers") {
      value.for_each_any_entry([&](std::string_view name, const Field& weight) {
        double w = 0;
        if (weight.read_positive_number(w, 1e6)) pipeline.scorers.emplace_back(name, w);
      });
    } else if (key == "picker") {
      value.read_nonempty_string(pipeline.picker);
    }
  });
  return pipeline;
}

}  // namespace

void read_pipeline(const Field& field, std::optional<PipelineConfig>& out) {
  if (field.is_null()) return;
  if (!field.value().is_map()) {
    return field.error("expected a map with filters, scorers and picker");
  }
  out = read_pipeline_map(field);
}

void read_model_policies(const Field& field, std::map<std::string, PolicyChoice>& out) {
  if (field.is_null()) return;
  std::map<std::string, PolicyChoice> models;
  field.for_each_any_entry([&](std::string_view model, const Field& value) {
    PolicyChoice choice;
    if (value.value().is_map()) {
      choice.pipeline = read_pipeline_map(value);
    } else if (!value.read_nonempty_string(choice.preset)) {
      return;
    }
    models[std::string(model)] = std::move(choice);
  });
  out = std::move(models);
}

}  // namespace autoglm::config
