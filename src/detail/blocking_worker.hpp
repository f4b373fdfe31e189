// A small helper thread for the few libpq calls that block (PQcancel), so that the executor's
// threads never wait on the network. Tasks run one after another, in order.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace pgfns::detail {

class blocking_worker {
 public:
  blocking_worker() = default;
  blocking_worker(const blocking_worker&) = delete;
  blocking_worker& operator=(const blocking_worker&) = delete;
  // Runs the tasks already queued, then joins the thread.
  ~blocking_worker();

  // Queues `task`; the thread starts with the first task.
  void post(std::function<void()> task);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pgfns::detail
