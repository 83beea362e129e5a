// Admin routes of the hardening: API keys created at run time (POST /admin/v1/keys shows a
// key once; only its hash is kept), listing and revoking them, and the response cache's
// counters. Only admin keys reach /admin routes (the guard checks).
#pragma once

#include "api/gateway.hpp"
#include "api/hardening.hpp"

namespace autoglm::api {

// Adds the routes to `gateway`; `hardening` must outlive it.
void add_hardening_routes(Gateway& gateway, Hardening& hardening);

}  // namespace autoglm::api
