// What the task, dag and cron subcommands share: the --url of a running gateway and one
// HTTP call to it, the JSON answer printed on stdout and an error on stderr.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/status.hpp"

namespace autoglm::cli {

struct GatewayCall {
  std::string method = "GET";
  std::string path;  // e.g. "/v1/tasks/42", appended to the gateway URL
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

// Adds --url (default $AUTOGLM_URL, else http://127.0.0.1:8080; include the context path,
// e.g. http://host:8080/api).
void add_url_option(CLI::App& cmd, std::string& url);

// Sends the call and prints the answer's body. Sets the exit code: 0 for a 2xx answer,
// 1 for an error answer (its message on stderr), 3 when the gateway cannot be reached.
void call_gateway(const std::string& url, GatewayCall call);
// A call without a body (GET, DELETE).
void call_gateway(const std::string& url, std::string method, std::string path);

// POSTs `body` to `path`, with an Idempotency-Key header when `idempotency_key` is set.
// A body that could not be made is reported as "autoglm <command>: <why>" (exit code 2).
void post_to_gateway(const std::string& url, std::string_view command, std::string path,
                     core::Result<std::string> body, const std::string& idempotency_key = {},
                     std::string content_type = "application/json");

// A subcommand `<name> ID [--url URL]` sending `method` to `<path_prefix>/ID`
// (e.g. "task get 42" → GET /v1/tasks/42).
void add_id_command(CLI::App& parent, const std::string& name, const std::string& help,
                    const std::string& method, const std::string& path_prefix);
// A subcommand `<name> [--url URL]` sending GET to `path`.
void add_get_command(CLI::App& parent, const std::string& name, const std::string& help,
                     const std::string& path);

// The contents of `path` ("-" for stdin), or kInvalidArgument naming the file.
core::Result<std::string> read_input(const std::string& path);

}  // namespace autoglm::cli
