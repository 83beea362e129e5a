#include "api/hardening_routes.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "http/errors.hpp"
#include "http/server.hpp"

namespace autoglm::api {

namespace json = boost::json;

namespace {

json::object key_json(const Guard::ListedKey& key) {
  json::object out;
  out["object"] = "api_key";
  out["id"] = key.info.id;
  out["tenant"] = key.info.tenant;
  out["admin"] = key.info.admin;
  out["label"] = key.info.label;
  out["revoked"] = key.info.revoked;
  out["source"] = key.from_config ? "config" : "api";
  const tenancy::KeyScope& scope = key.info.scope;
  out["default_class"] = scope.default_class
                             ? json::value(core::priority_class_name(*scope.default_class))
                             : json::value(nullptr);
  json::array models;
  for (const auto& m : scope.models) models.push_back(json::value(m));
  out["models"] = std::move(models);
  out["limits"] = {{"requests_per_second", scope.limits.requests_per_second},
                   {"burst", scope.limits.burst},
                   {"max_concurrent", scope.limits.max_concurrent}};
  return out;
}

boost::asio::awaitable<void> respond_status(http::Exchange& exchange, const core::Status& status) {
  co_await exchange.respond(static_cast<unsigned>(http::http_status_for(status.code())),
                            http::openai_error_body(status));
}

// A non-negative number, or kInvalidArgument naming `field`.
core::Result<double> non_negative(const json::object& o, std::string_view key,
                                  const std::string& field) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0.0;
  if (!v->is_number() || v->to_number<double>() < 0) {
    return core::invalid_argument("'" + field + "' must be a number >= 0", field);
  }
  return v->to_number<double>();
}

// "default_class", "models" and "limits" {requests_per_second, burst, max_concurrent} of a
// new key, all optional; tenancy::validate_scope checks the values.
core::Result<tenancy::KeyScope> key_scope_from(const json::object& o) {
  tenancy::KeyScope scope;
  if (const auto* cls = o.if_contains("default_class"); cls && !cls->is_null()) {
    if (cls->is_string()) scope.default_class = core::priority_class_from_name(cls->as_string());
    if (!scope.default_class) {
      return core::invalid_argument(
          "'default_class' must be critical, standard, batch or sheddable", "default_class");
    }
  }
  if (const auto* models = o.if_contains("models")) {
    if (!models->is_array()) return core::invalid_argument("'models' must be a list", "models");
    for (const auto& m : models->as_array()) {
      if (!m.is_string()) return core::invalid_argument("'models' must list strings", "models");
      scope.models.emplace_back(m.as_string());
    }
  }
  if (const auto* limits = o.if_contains("limits")) {
    if (!limits->is_object()) return core::invalid_argument("'limits' must be an object", "limits");
    const json::object& l = limits->as_object();
    auto rps = non_negative(l, "requests_per_second", "limits.requests_per_second");
    auto burst = non_negative(l, "burst", "limits.burst");
    auto concurrent = non_negative(l, "max_concurrent", "limits.max_concurrent");
    for (const auto* r : {&rps, &burst, &concurrent}) {
      if (!*r) return r->status();
    }
    if (*concurrent != std::floor(*concurrent) || *concurrent > 1e9) {
      return core::invalid_argument("'limits.max_concurrent' must be a whole number",
                                    "limits.max_concurrent");
    }
    scope.limits = {*rps, *burst, static_cast<std::size_t>(*concurrent)};
  }
  if (auto valid = tenancy::validate_scope(scope); !valid) return valid;
  return scope;
}

// {"tenant": "acme", "admin": false, "label": "ci", "default_class": "batch",
// "models": ["m1"], "limits": {...}}: tenant required.
core::Result<tenancy::KeySpec> key_spec_from(std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    return core::invalid_argument("expected a JSON object such as {\"tenant\": \"acme\"}");
  }
  const json::object& o = parsed.as_object();
  tenancy::KeySpec spec;
  const auto* tenant = o.if_contains("tenant");
  if (!tenant || !tenant->is_string()) {
    return core::invalid_argument("'tenant' must be a string", "tenant");
  }
  spec.tenant = std::string(tenant->as_string());
  if (const auto* admin = o.if_contains("admin")) {
    if (!admin->is_bool()) return core::invalid_argument("'admin' must be true or false", "admin");
    spec.admin = admin->as_bool();
  }
  if (const auto* label = o.if_contains("label")) {
    if (!label->is_string() || label->as_string().size() > 200) {
      return core::invalid_argument("'label' must be a string of at most 200 bytes", "label");
    }
    spec.label = std::string(label->as_string());
  }
  if (auto scope = key_scope_from(o); !scope) {
    return scope.status();
  } else {
    spec.scope = std::move(*scope);
  }
  return spec;
}

core::Status unknown_key(std::string_view id) {
  return core::not_found("no API key with id '" + std::string(id) + "'", "id");
}

}  // namespace

void add_hardening_routes(Gateway& gateway, Hardening& hardening) {
  Guard& guard = hardening.guard();
  KeyService& keys = hardening.keys();
  gateway.add_route(
      "POST", "/admin/v1/keys",
      [&keys](http::Exchange& exchange, const RequestContext&) -> boost::asio::awaitable<void> {
        auto spec = key_spec_from(exchange.request().body());
        if (!spec) co_return co_await respond_status(exchange, spec.status());
        auto created = co_await keys.create(std::move(*spec));
        if (!created) co_return co_await respond_status(exchange, created.status());
        json::object body = key_json({created->info, false});
        body["key"] = created->secret;  // the only time it is ever shown
        co_await exchange.respond(201, json::serialize(body));
      });
  gateway.add_route("GET", "/admin/v1/keys",
                    [&guard](http::Exchange& exchange, const RequestContext&) {
                      json::array data;
                      for (const auto& key : guard.list_keys()) data.push_back(key_json(key));
                      json::object body{{"object", "list"}, {"data", std::move(data)}};
                      return exchange.respond(200, json::serialize(body));
                    });
  gateway.add_route("GET", "/admin/v1/keys/{id}",
                    [&guard](http::Exchange& exchange,
                             const RequestContext& context) -> boost::asio::awaitable<void> {
                      const std::string& id = context.params.at("id");
                      auto key = guard.find_key(id);
                      if (!key) co_return co_await respond_status(exchange, unknown_key(id));
                      co_await exchange.respond(200, json::serialize(key_json(*key)));
                    });
  gateway.add_route("DELETE", "/admin/v1/keys/{id}",
                    [&guard, &keys](http::Exchange& exchange,
                                    const RequestContext& context) -> boost::asio::awaitable<void> {
                      const std::string& id = context.params.at("id");
                      if (auto revoked = co_await keys.revoke(id); !revoked) {
                        co_return co_await respond_status(exchange, revoked);
                      }
                      co_await exchange.respond(200,
                                                json::serialize(key_json(*guard.find_key(id))));
                    });
  AnswerCache& cache = hardening.cache();
  gateway.add_route("GET", "/admin/v1/cache",
                    [&cache](http::Exchange& exchange, const RequestContext&) {
                      const cache::CacheStats s = cache.stats();
                      json::object body{{"hits", s.hits},
                                        {"misses", s.misses},
                                        {"insertions", s.insertions},
                                        {"evictions", s.evictions},
                                        {"expirations", s.expirations},
                                        {"rejected", s.rejected},
                                        {"bytes", s.bytes},
                                        {"entries", s.entries}};
                      return exchange.respond(200, json::serialize(body));
                    });
  gateway.add_route("DELETE", "/admin/v1/cache",
                    [&cache](http::Exchange& exchange, const RequestContext&) {
                      cache.clear();
                      return exchange.respond(200, R"({"cleared":true})");
                    });
}

}  // namespace autoglm::api
