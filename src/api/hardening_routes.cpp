#include "api/hardening_routes.hpp"

#include <boost/json.hpp>

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
  return out;
}

boost::asio::awaitable<void> respond_status(http::Exchange& exchange, const core::Status& status) {
  co_await exchange.respond(static_cast<unsigned>(http::http_status_for(status.code())),
                            http::openai_error_body(status));
}

// {"tenant": "acme", "admin": false, "label": "ci"}: tenant required.
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
  return spec;
}

core::Status unknown_key(std::string_view id) {
  return core::not_found("no API key with id '" + std::string(id) + "'", "id");
}

}  // namespace

void add_hardening_routes(Gateway& gateway, Hardening& hardening) {
  Guard& guard = hardening.guard();
  gateway.add_route("POST", "/admin/v1/keys",
                    [&guard](http::Exchange& exchange,
                             const RequestContext&) -> boost::asio::awaitable<void> {
                      auto spec = key_spec_from(exchange.request().body());
                      if (!spec) co_return co_await respond_status(exchange, spec.status());
                      auto created = guard.create_key(*spec);
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
                    [&guard](http::Exchange& exchange,
                             const RequestContext& context) -> boost::asio::awaitable<void> {
                      const std::string& id = context.params.at("id");
                      if (auto revoked = guard.revoke_key(id); !revoked) {
                        co_return co_await respond_status(exchange, revoked);
                      }
                      co_await exchange.respond(200, json::serialize(key_json(*guard.find_key(id))));
                    });
  AnswerCache& cache = hardening.cache();
  gateway.add_route("GET", "/admin/v1/cache", [&cache](http::Exchange& exchange,
                                                       const RequestContext&) {
    const cache::CacheStats s = cache.stats();
    json::object body{{"hits", s.hits},          {"misses", s.misses},
                      {"insertions", s.insertions}, {"evictions", s.evictions},
                      {"expirations", s.expirations}, {"rejected", s.rejected},
                      {"bytes", s.bytes},        {"entries", s.entries}};
    return exchange.respond(200, json::serialize(body));
  });
  gateway.add_route("DELETE", "/admin/v1/cache",
                    [&cache](http::Exchange& exchange, const RequestContext&) {
                      cache.clear();
                      return exchange.respond(200, R"({"cleared":true})");
                    });
}

}  // namespace autoglm::api
