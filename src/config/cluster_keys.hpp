// Readers and the cross-key check for `cluster.etcd.*`, `cluster.replica-id`,
// `cluster.advertise-url` and `cluster.lease-ttl` (several replicas through etcd).
#pragma once

#include "config/config.hpp"
#include "config/diagnostics.hpp"
#include "config/field.hpp"
#include "config/raw_value.hpp"

namespace autoglm::config {

// A YAML list of http://host:port URLs, or one string of them separated by commas (so
// AUTOGLM_CLUSTER_ETCD_ENDPOINTS can set it). A trailing '/' is dropped.
void read_etcd_endpoints(const Field& field, std::vector<std::string>& out);
// "/name[/more]": starts with '/', no trailing '/', no spaces.
void read_etcd_prefix(const Field& field, std::string& out);
// Letters, digits and - _ . : (it becomes part of an etcd key and log lines).
void read_replica_id(const Field& field, std::string& out);
void read_advertise_url(const Field& field, std::string& out);
// 2 s to 1 h in whole seconds: etcd counts lease TTLs in seconds and grants at least 2.
void read_lease_ttl(const Field& field, Millis& out);

// Checks between cluster keys, once all are read: a keepalive must be able to time out
// and be retried within the TTL, and a waiter must look more often than the TTL.
void check_cluster(const RawValue& root, const ClusterConfig& cluster, Diagnostics& diagnostics);

}  // namespace autoglm::config
