// The dashboard's data: one JSON snapshot of the nodes, the scheduler, request latencies and
// durable work (GET /admin/v1/dashboard), and the same snapshot every interval as
// server-sent events (GET /admin/v1/dashboard/stream). Built from what the gateway and the
// workflow engine already report, with their JSON builders; the page (web/) shapes it.
// Wire format in docs/api.md.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace autoglm::api {

class Gateway;
class WorkflowService;

// Threading: the routes run on any I/O thread; store reads run on the workflow service's
// workers. The cached snapshot and the event tail are guarded by their own mutexes.
class Dashboard {
 public:
  // `workflows` is null when workflow.enabled is false (the page then shows no work).
  // Both must outlive the server.
  Dashboard(Gateway& gateway, WorkflowService* workflows);
  ~Dashboard();
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;

  // Adds the two routes under /admin/v1 (so they need an admin key when auth is on).
  // Before the server starts.
  void attach();

  // The snapshot as JSON text. Several open pages share one build per kReuse.
  boost::asio::awaitable<std::string> snapshot();

  static constexpr std::chrono::milliseconds kReuse{200};

  struct EventTail;  // the latest task events (dashboard.cpp)

 private:
  boost::asio::awaitable<std::string> build();

  Gateway& gateway_;
  WorkflowService* workflows_;
  std::unique_ptr<EventTail> events_;
  std::mutex mu_;  // guards cached_ and cached_at_
  std::string cached_;
  std::chrono::steady_clock::time_point cached_at_{};
};

}  // namespace autoglm::api
