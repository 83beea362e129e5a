#include "api/openai_request.hpp"

#include <boost/json.hpp>

namespace autoglm::api {

namespace json = boost::json;
using core::invalid_argument;

core::Result<OpenAiRequest> parse_openai_request(std::string_view body, Endpoint endpoint) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) {
    return invalid_argument("the request body is not valid JSON (" + ec.message() +
                            "); send a JSON object with at least 'model'");
  }
  const json::object* obj = doc.if_object();
  if (!obj) return invalid_argument("the request body must be a JSON object");

  OpenAiRequest out;
  const json::value* model = obj->if_contains("model");
  if (!model) return invalid_argument("'model' is required", "model");
  if (!model->is_string() || model->get_string().empty()) {
    return invalid_argument("'model' must be a non-empty string", "model");
  }
  out.model = json::value_to<std::string>(*model);

  if (const json::value* stream = obj->if_contains("stream"); stream && !stream->is_null()) {
    if (!stream->is_bool()) return invalid_argument("'stream' must be true or false", "stream");
    out.stream = stream->get_bool();
  }

  if (endpoint == Endpoint::kChatCompletions) {
    const json::value* messages = obj->if_contains("messages");
    if (!messages) return invalid_argument("'messages' is required", "messages");
    if (!messages->is_array() || messages->get_array().empty()) {
      return invalid_argument("'messages' must be a non-empty array of messages", "messages");
    }
  } else {
    const json::value* prompt = obj->if_contains("prompt");
    if (!prompt) return invalid_argument("'prompt' is required", "prompt");
    if (!prompt->is_string() && !prompt->is_array()) {
      return invalid_argument("'prompt' must be a string or an array", "prompt");
    }
  }
  return out;
}

}  // namespace autoglm::api
