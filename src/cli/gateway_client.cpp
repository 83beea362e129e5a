#include "cli/gateway_client.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "http/client.hpp"

namespace autoglm::cli {

void add_url_option(CLI::App& cmd, std::string& url) {
  const char* env = std::getenv("AUTOGLM_URL");
  url = env != nullptr && *env != '\0' ? env : "http://127.0.0.1:8080";
  cmd.add_option("--url", url, "Gateway URL, with the context path if any (env AUTOGLM_URL)")
      ->capture_default_str();
}

void call_gateway(const std::string& url, GatewayCall call) {
  http::ClientRequest request;
  request.method = call.method;
  request.url = http::join_url(url, call.path);
  request.body = std::move(call.body);
  request.content_type = call.content_type;
  request.headers = std::move(call.headers);
  request.timeout = std::chrono::seconds(30);
  auto response = http::fetch_blocking(std::move(request));
  if (!response) {
    std::cerr << "autoglm: " << response.status().message() << "\n";
    set_exit_code(3);
    return;
  }
  if (response->status >= 200 && response->status < 300) {
    std::cout << response->body << "\n";
    return;
  }
  std::string message = response->body;
  boost::system::error_code ec;
  const auto doc = boost::json::parse(response->body, ec);
  if (!ec && doc.is_object()) {
    if (const auto* e = doc.as_object().if_contains("error"); e && e->is_object()) {
      if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) {
        message = std::string(m->get_string());
      }
    }
  }
  std::cerr << "autoglm: " << response->status << ": " << message << "\n";
  set_exit_code(1);
}

void call_gateway(const std::string& url, std::string method, std::string path) {
  GatewayCall call;
  call.method = std::move(method);
  call.path = std::move(path);
  call_gateway(url, std::move(call));
}

void post_to_gateway(const std::string& url, std::string_view command, std::string path,
                     core::Result<std::string> body, const std::string& idempotency_key,
                     std::string content_type) {
  if (!body) {
    std::cerr << "autoglm " << command << ": " << body.status().message() << "\n";
    set_exit_code(2);
    return;
  }
  GatewayCall call;
  call.method = "POST";
  call.path = std::move(path);
  call.body = std::move(*body);
  call.content_type = std::move(content_type);
  if (!idempotency_key.empty()) call.headers.emplace_back("Idempotency-Key", idempotency_key);
  call_gateway(url, std::move(call));
}

void add_id_command(CLI::App& parent, const std::string& name, const std::string& help,
                    const std::string& method, const std::string& path_prefix) {
  struct Args {
    std::string url;
    std::string id;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = parent.add_subcommand(name, help);
  add_url_option(*cmd, args->url);
  cmd->add_option("id", args->id, "The id")->required();
  cmd->callback([args, method, path_prefix] {
    call_gateway(args->url, method, path_prefix + "/" + args->id);
  });
}

void add_get_command(CLI::App& parent, const std::string& name, const std::string& help,
                     const std::string& path) {
  auto url = std::make_shared<std::string>();
  auto* cmd = parent.add_subcommand(name, help);
  add_url_option(*cmd, *url);
  cmd->callback([url, path] { call_gateway(*url, "GET", path); });
}

core::Result<std::string> read_input(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::invalid_argument("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace autoglm::cli
