// Value types that describe a GPU node the gateway can send work to.
// Plain data shared by config, dispatch and (later) the scheduler core; no behaviour.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace autoglm::core {

// A backend that serves one or more models over the OpenAI HTTP API
// (vLLM, SGLang, llama.cpp's server, Ollama, or our simnode).
struct NodeSpec {
  std::string id;                             // unique within the cluster
  std::string url;                            // base URL, e.g. http://10.0.0.5:8000
  std::vector<std::string> models;            // model names it serves
  std::map<std::string, std::string> labels;  // free-form, e.g. gpu: h100
  int capacity = 0;  // max requests in flight from the gateway; 0: no bound of its own
};

}  // namespace autoglm::core
