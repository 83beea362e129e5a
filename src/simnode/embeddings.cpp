#include "simnode/embeddings.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <random>

#include "parse/token_estimator.hpp"
#include "simnode/text_gen.hpp"

namespace autoglm::simnode {

namespace json = boost::json;
using core::invalid_argument;

namespace {

constexpr std::size_t kMaxInputs = 2048;

// Token ids as text, so a pre-tokenised input hashes like any other.
std::string ids_text(const json::array& ids, std::int64_t& tokens) {
  std::string out;
  for (const auto& id : ids) {
    if (!id.is_int64() && !id.is_uint64()) return {};
    out += json::serialize(id);
    out += ' ';
    ++tokens;
  }
  return out;
}

}  // namespace

core::Result<EmbeddingRequest> parse_embedding_request(std::string_view body) {
  json::error_code ec;
  const json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return invalid_argument("the body must be a JSON object");
  const auto& obj = doc.get_object();
  EmbeddingRequest out;
  const auto* model = obj.if_contains("model");
  if (!model || !model->is_string() || model->get_string().empty()) {
    return invalid_argument("'model' must be a non-empty string", "model");
  }
  out.model = model->get_string();
  if (const auto* dims = obj.if_contains("dimensions")) {
    if (!dims->is_int64() || dims->get_int64() < 1 || dims->get_int64() > 4096) {
      return invalid_argument("'dimensions' must be an integer from 1 to 4096", "dimensions");
    }
    out.dimensions = static_cast<int>(dims->get_int64());
  }
  const auto* input = obj.if_contains("input");
  if (!input) return invalid_argument("'input' is required", "input");
  if (const auto* s = input->if_string()) {
    out.inputs.emplace_back(*s);
    out.prompt_tokens = parse::estimate_tokens(*s);
  } else if (const auto* arr = input->if_array()) {
    if (arr->empty()) return invalid_argument("'input' must not be empty", "input");
    if (arr->front().is_number()) {
      out.inputs.push_back(ids_text(*arr, out.prompt_tokens));
      if (out.inputs.back().empty()) {
        return invalid_argument("'input' token ids must be integers", "input");
      }
    } else {
      for (const auto& item : *arr) {
        if (const auto* s = item.if_string()) {
          out.inputs.emplace_back(*s);
          out.prompt_tokens += parse::estimate_tokens(*s);
        } else if (const auto* ids = item.if_array(); ids && !ids->empty()) {
          out.inputs.push_back(ids_text(*ids, out.prompt_tokens));
          if (out.inputs.back().empty()) {
            return invalid_argument("'input' token ids must be integers", "input");
          }
        } else {
          return invalid_argument(
              "each 'input' item must be a string or a non-empty array of token ids", "input");
        }
      }
    }
  } else {
    return invalid_argument("'input' must be a string or an array", "input");
  }
  if (out.inputs.size() > kMaxInputs) {
    return invalid_argument("'input' holds more than 2048 items", "input");
  }
  out.prompt_tokens = std::max<std::int64_t>(out.prompt_tokens, 1);
  return out;
}

std::string embedding_body(const EmbeddingRequest& request, std::uint64_t seed) {
  json::array data;
  for (std::size_t i = 0; i < request.inputs.size(); ++i) {
    std::mt19937_64 rng(stable_hash(request.inputs[i], seed));
    std::normal_distribution<double> normal;
    std::vector<double> v(static_cast<std::size_t>(request.dimensions));
    double norm = 0;
    for (auto& x : v) {
      x = normal(rng);
      norm += x * x;
    }
    norm = std::sqrt(norm);
    json::array vec;
    vec.reserve(v.size());
    for (double x : v) vec.emplace_back(x / norm);
    json::object item;
    item["object"] = "embedding";
    item["index"] = i;
    item["embedding"] = std::move(vec);
    data.emplace_back(std::move(item));
  }
  json::object out;
  out["object"] = "list";
  out["data"] = std::move(data);
  out["model"] = request.model;
  json::object usage;
  usage["prompt_tokens"] = request.prompt_tokens;
  usage["total_tokens"] = request.prompt_tokens;
  out["usage"] = std::move(usage);
  return json::serialize(out);
}

}  // namespace autoglm::simnode
