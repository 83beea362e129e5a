#include "cluster/membership.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>
#include <ctime>

#include "cluster/sleeper.hpp"

namespace autoglm::cluster {

namespace asio = boost::asio;
namespace json = boost::json;

std::string replicas_prefix(std::string_view prefix) { return std::string(prefix) + "/replicas/"; }

std::string nodes_prefix(std::string_view prefix) { return std::string(prefix) + "/nodes/"; }

std::string to_json(const ReplicaInfo& info) {
  json::object o;
  o["id"] = info.id;
  o["url"] = info.url;
  o["started_at"] = info.started_at;
  o["version"] = info.version;
  return json::serialize(o);
}

core::Result<ReplicaInfo> replica_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return core::invalid_argument("a replica entry is not a JSON object");
  const json::object& o = v.as_object();
  auto text_of = [&o](std::string_view name) {
    const json::value* field = o.if_contains(name);
    return field != nullptr && field->is_string() ? std::string(field->as_string()) : std::string();
  };
  ReplicaInfo info{text_of("id"), text_of("url"), text_of("started_at"), text_of("version")};
  if (info.id.empty()) return core::invalid_argument("a replica entry has no id");
  return info;
}

std::string utc_now_rfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

Members members_under(std::string_view prefix, const std::vector<KeyValue>& kvs) {
  Members members;
  for (const KeyValue& kv : kvs) {
    if (kv.key.size() <= prefix.size() || kv.key.compare(0, prefix.size(), prefix) != 0) continue;
    members[kv.key.substr(prefix.size())] = kv.value;
  }
  return members;
}

MemberChanges diff_members(const Members& before, const Members& after) {
  MemberChanges changes;
  for (const auto& [name, value] : after) {
    auto it = before.find(name);
    if (it == before.end() || it->second != value) changes.upserted.emplace_back(name, value);
  }
  for (const auto& [name, value] : before) {
    if (!after.contains(name)) changes.removed.push_back(name);
  }
  return changes;
}

LeasedKey::LeasedKey(asio::any_io_executor executor, EtcdClient& client, LeaseKeeper& keeper,
                     std::string key, std::chrono::milliseconds poll_interval)
    : client_(client),
      keeper_(keeper),
      key_(std::move(key)),
      poll_interval_(poll_interval),
      sleeper_(std::make_unique<Sleeper>(asio::make_strand(executor))) {}

LeasedKey::~LeasedKey() = default;

void LeasedKey::set_value(std::string value) {
  std::lock_guard lock(mu_);
  if (value == value_ && version_ != 0) return;
  value_ = std::move(value);
  ++version_;
}

void LeasedKey::start() { asio::co_spawn(sleeper_->strand(), run(), asio::detached); }

void LeasedKey::stop() { sleeper_->stop(); }

bool LeasedKey::published() const {
  std::lock_guard lock(mu_);
  return version_ != 0 && put_version_ == version_ && put_lease_ == keeper_.lease() &&
         keeper_.alive();
}

asio::awaitable<void> LeasedKey::run() {
  bool warned = false;
  while (!sleeper_->stopped()) {
    const std::int64_t lease = keeper_.lease();
    std::string value;
    std::uint64_t version = 0;
    {
      std::lock_guard lock(mu_);
      if (lease != 0 && version_ != 0 && (put_lease_ != lease || put_version_ != version_)) {
        value = value_;
        version = version_;
      }
    }
    if (version != 0) {
      auto put = co_await client_.put(key_, value, lease);
      if (put) {
        std::lock_guard lock(mu_);
        put_lease_ = lease;
        put_version_ = version;
        warned = false;
      } else if (!warned) {
        spdlog::warn("cannot write {} to etcd: {}", key_, put.status().message());
        warned = true;
      }
    }
    co_await sleeper_->sleep(poll_interval_);
  }
}

PrefixFollower::PrefixFollower(asio::any_io_executor executor, EtcdClient& client,
                               std::string prefix, std::chrono::milliseconds interval,
                               Callback on_change)
    : client_(client),
      prefix_(std::move(prefix)),
      interval_(interval),
      on_change_(std::move(on_change)),
      sleeper_(std::make_unique<Sleeper>(asio::make_strand(executor))) {}

PrefixFollower::~PrefixFollower() = default;

void PrefixFollower::start() { asio::co_spawn(sleeper_->strand(), run(), asio::detached); }

void PrefixFollower::stop() { sleeper_->stop(); }

Members PrefixFollower::members() const {
  std::lock_guard lock(mu_);
  return members_;
}

asio::awaitable<void> PrefixFollower::run() {
  bool warned = false;
  while (!sleeper_->stopped()) {
    auto listed = co_await client_.range_prefix(prefix_);
    if (listed) {
      Members now = members_under(prefix_, listed->kvs);
      MemberChanges changes;
      {
        std::lock_guard lock(mu_);
        changes = diff_members(members_, now);
        members_ = std::move(now);
      }
      if (!changes.empty() && !sleeper_->stopped()) on_change_(changes);
      warned = false;
    } else if (!warned) {
      spdlog::warn("cannot list {} in etcd (keeping the last list): {}", prefix_,
                   listed.status().message());
      warned = true;
    }
    co_await sleeper_->sleep(interval_);
  }
}

}  // namespace autoglm::cluster
