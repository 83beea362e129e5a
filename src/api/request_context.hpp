// What the gateway knows about one request before its route handler runs: the matched
// path parameters and who is asking. Filled by Gateway::handle (authentication fills the
// tenant); read by every route handler, whichever file it lives in.
#pragma once

#include <string>
#include <vector>

#include "api/router.hpp"

namespace autoglm::api {

struct RequestContext {
  PathParams params;
  // The tenant the request acts for; "default" when authentication is off. Everything a
  // tenant stores (tasks, DAGs, events) is keyed by it, and other tenants never see it.
  std::string tenant = "default";
  // Whether the caller may use /admin routes (always, when authentication is off).
  bool admin = true;
  // The default priority (0-9) of the key's class, else its tenant's; -1 for the request
  // parser's default.
  int default_priority = -1;
  // The key's own model allow-list (empty: every model its tenant may use).
  std::vector<std::string> key_models;
};

}  // namespace autoglm::api
